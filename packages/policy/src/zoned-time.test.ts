import { describe, expect, it } from 'vitest';
import { addDays, instantsOfLocal, isValidTimeZone, localDateTime } from './zoned-time';

const iso = (ms: number) => new Date(ms).toISOString();

describe('isValidTimeZone', () => {
  it.each([
    ['UTC', true],
    ['Europe/Berlin', true],
    ['America/New_York', true],
    ['Asia/Kolkata', true],
    ['europe/berlin', true],
    ['Mars/Olympus_Mons', false],
    ['+01:00', false],
    ['', false],
    ['CET ', false],
  ])('%j → %s', (name, valid) => {
    expect(isValidTimeZone(name)).toBe(valid);
  });
});

describe('localDateTime', () => {
  it.each([
    [
      '2026-06-01T16:00:00Z',
      'Asia/Kolkata',
      { year: 2026, month: 6, day: 1, hour: 21, minute: 30, second: 0 },
    ],
    [
      '2026-01-01T04:59:59Z',
      'America/New_York',
      { year: 2025, month: 12, day: 31, hour: 23, minute: 59, second: 59 },
    ],
    [
      '2026-07-01T00:00:00Z',
      'Europe/Berlin',
      { year: 2026, month: 7, day: 1, hour: 2, minute: 0, second: 0 },
    ],
    ['2026-01-01T00:00:00Z', 'UTC', { year: 2026, month: 1, day: 1, hour: 0, minute: 0, second: 0 }],
  ])('%s in %s', (instant, zone, local) => {
    expect(localDateTime(Date.parse(instant), zone)).toEqual(local);
  });
});

describe('instantsOfLocal', () => {
  it.each([
    ['an ordinary time', 'Europe/Berlin', [2026, 1, 15, 8, 0], ['2026-01-15T07:00:00.000Z']],
    ['summer time', 'Europe/Berlin', [2026, 7, 15, 8, 0], ['2026-07-15T06:00:00.000Z']],
    ['a half-hour offset', 'Asia/Kolkata', [2026, 6, 2, 8, 0], ['2026-06-02T02:30:00.000Z']],
    [
      'a time skipped by spring forward: the jump',
      'Europe/Berlin',
      [2026, 3, 29, 2, 30],
      ['2026-03-29T01:00:00.000Z'],
    ],
    ['New York spring forward', 'America/New_York', [2026, 3, 8, 2, 15], ['2026-03-08T07:00:00.000Z']],
    [
      'a time repeated by fall back: both',
      'Europe/Berlin',
      [2026, 10, 25, 2, 30],
      ['2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z'],
    ],
    [
      'New York fall back',
      'America/New_York',
      [2026, 11, 1, 1, 30],
      ['2026-11-01T05:30:00.000Z', '2026-11-01T06:30:00.000Z'],
    ],
  ] as const)('%s (%s)', (_, zone, [year, month, day, hour, minute], expected) => {
    expect(instantsOfLocal({ year, month, day, hour, minute }, zone).map(iso)).toEqual(expected);
  });
});

describe('addDays', () => {
  it.each([
    [{ year: 2026, month: 12, day: 31 }, 1, { year: 2027, month: 1, day: 1 }],
    [{ year: 2028, month: 2, day: 28 }, 1, { year: 2028, month: 2, day: 29 }],
    [{ year: 2026, month: 3, day: 1 }, -1, { year: 2026, month: 2, day: 28 }],
  ])('%j + %d', (date, days, expected) => {
    expect(addDays(date, days)).toEqual(expected);
  });
});
