import { describe, expect, it } from 'vitest';
import { endOfQuiet, isQuiet } from './quiet-hours';

const NIGHT = { start: '21:00', end: '08:00' };
const LUNCH = { start: '12:00', end: '14:00' };
const NONE = { start: '09:00', end: '09:00' };

// [what, window, zone, now, end of quiet (= now when not quiet)]
const cases: [string, { start: string; end: string }, string, string, string][] = [
  ['before a night window', NIGHT, 'UTC', '2026-11-23T20:59:59.999Z', '2026-11-23T20:59:59.999Z'],
  ['at its start', NIGHT, 'UTC', '2026-11-23T21:00:00.000Z', '2026-11-24T08:00:00.000Z'],
  ['before midnight', NIGHT, 'UTC', '2026-11-23T23:30:00.000Z', '2026-11-24T08:00:00.000Z'],
  ['after midnight', NIGHT, 'UTC', '2026-11-24T03:00:00.000Z', '2026-11-24T08:00:00.000Z'],
  ['a second before its end', NIGHT, 'UTC', '2026-11-24T07:59:59.000Z', '2026-11-24T08:00:00.000Z'],
  ['at its end', NIGHT, 'UTC', '2026-11-24T08:00:00.000Z', '2026-11-24T08:00:00.000Z'],
  ['across a year end', NIGHT, 'UTC', '2026-12-31T22:00:00.000Z', '2027-01-01T08:00:00.000Z'],
  ['inside a daytime window', LUNCH, 'UTC', '2026-11-23T13:00:00.000Z', '2026-11-23T14:00:00.000Z'],
  ['after a daytime window', LUNCH, 'UTC', '2026-11-23T14:00:00.000Z', '2026-11-23T14:00:00.000Z'],
  ['before a daytime window', LUNCH, 'UTC', '2026-11-23T11:59:00.000Z', '2026-11-23T11:59:00.000Z'],
  ['an empty window', NONE, 'UTC', '2026-11-23T09:00:00.000Z', '2026-11-23T09:00:00.000Z'],
  [
    'New York in winter (EST)',
    NIGHT,
    'America/New_York',
    '2026-11-24T02:30:00.000Z',
    '2026-11-24T13:00:00.000Z',
  ],
  [
    'New York in summer (EDT)',
    NIGHT,
    'America/New_York',
    '2026-07-01T01:30:00.000Z',
    '2026-07-01T12:00:00.000Z',
  ],
  [
    'New York over spring forward',
    NIGHT,
    'America/New_York',
    '2026-03-08T02:30:00.000Z',
    '2026-03-08T12:00:00.000Z',
  ],
  [
    'New York over fall back',
    NIGHT,
    'America/New_York',
    '2026-11-01T01:30:00.000Z',
    '2026-11-01T13:00:00.000Z',
  ],
  [
    'Kolkata, half-hour offset',
    NIGHT,
    'Asia/Kolkata',
    '2026-06-01T16:00:00.000Z',
    '2026-06-02T02:30:00.000Z',
  ],
  ['Kolkata, just before', NIGHT, 'Asia/Kolkata', '2026-06-01T15:29:00.000Z', '2026-06-01T15:29:00.000Z'],
  [
    'Berlin over spring forward',
    NIGHT,
    'Europe/Berlin',
    '2026-03-28T20:30:00.000Z',
    '2026-03-29T06:00:00.000Z',
  ],
  ['Berlin over fall back', NIGHT, 'Europe/Berlin', '2026-10-24T19:30:00.000Z', '2026-10-25T07:00:00.000Z'],
  [
    'an end the clock skips (Berlin 02:30 on spring forward)',
    { start: '22:00', end: '02:30' },
    'Europe/Berlin',
    '2026-03-28T22:00:00.000Z',
    '2026-03-29T01:00:00.000Z',
  ],
  [
    'an end the clock shows twice, first pass',
    { start: '22:00', end: '02:30' },
    'Europe/Berlin',
    '2026-10-24T23:00:00.000Z',
    '2026-10-25T00:30:00.000Z',
  ],
  [
    'an end the clock shows twice, second pass',
    { start: '02:00', end: '02:30' },
    'Europe/Berlin',
    '2026-10-25T01:10:00.000Z',
    '2026-10-25T01:30:00.000Z',
  ],
];

describe('quiet hours', () => {
  it.each(cases)('%s', (_, window, zone, now, end) => {
    const t = Date.parse(now);
    expect(new Date(endOfQuiet(t, window, zone)).toISOString()).toBe(end);
    expect(isQuiet(t, window, zone)).toBe(end !== now);
    expect(isQuiet(Date.parse(end), window, zone)).toBe(false);
  });
});
