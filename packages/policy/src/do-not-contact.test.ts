import { describe, expect, it } from 'vitest';
import { DoNotContactUntil, resumeInstant } from './do-not-contact';

describe('DoNotContactUntil', () => {
  it.each([
    '2027-01-01',
    '2028-02-29',
    '2027-01-01T09:00',
    '2027-01-01T09:00:00Z',
    '2027-01-01T09:00:00.5+05:30',
  ])('accepts %s', (value) => {
    expect(DoNotContactUntil.safeParse(value).success).toBe(true);
  });

  it.each([
    '2027-02-29',
    '2027-13-01',
    '2027-1-1',
    'next year',
    '2027-01-01T24:00',
    '2027-01-01T09:00+25:00',
    '',
  ])('refuses %j', (value) => {
    expect(DoNotContactUntil.safeParse(value).success).toBe(false);
  });
});

describe('resumeInstant', () => {
  it.each([
    [
      'a date starts at midnight on the customer’s clock',
      '2027-01-01',
      'Europe/Berlin',
      '2026-12-31T23:00:00.000Z',
    ],
    ['the same date in Kolkata', '2027-01-01', 'Asia/Kolkata', '2026-12-31T18:30:00.000Z'],
    ['a date in UTC', '2027-01-01', 'UTC', '2027-01-01T00:00:00.000Z'],
    ['a local date-time in summer', '2027-07-01T09:30', 'America/New_York', '2027-07-01T13:30:00.000Z'],
    ['a UTC date-time ignores the zone', '2027-01-01T09:00:00Z', 'Asia/Kolkata', '2027-01-01T09:00:00.000Z'],
    ['an offset date-time', '2027-01-01T09:00:00.250+05:30', 'UTC', '2027-01-01T03:30:00.250Z'],
    ['a negative offset', '2027-01-01T09:00-03:00', 'UTC', '2027-01-01T12:00:00.000Z'],
  ])('%s', (_, value, zone, instant) => {
    expect(new Date(resumeInstant(value, zone)).toISOString()).toBe(instant);
  });
});
