import { describe, expect, it } from 'vitest';
import { decide } from './decide';
import { Policy } from './policy';
import { checkCase, contact, defer, noQuiet, REQUEST, send, type Case } from './decide.fixtures';

// What holds a send back until a later time: do-not-contact-until, frequency caps, quiet hours. What
// stops it for good is in decide.suppress.test.ts.

const cases: Case[] = [
  // do-not-contact-until
  {
    name: 'do-not-contact-until a date: local midnight, then quiet hours until 08:00 Berlin',
    contact: { doNotContactUntil: '2027-01-01', timezone: 'Europe/Berlin' },
    now: '2026-12-01T10:00:00Z',
    expected: defer(
      '2027-01-01T07:00:00.000Z',
      'do_not_contact_until',
      /until 2027-01-01 .*; then quiet hours/,
    ),
  },
  {
    name: 'do-not-contact-until an instant',
    contact: { doNotContactUntil: '2026-12-24T09:00:00Z' },
    now: '2026-12-01T10:00:00Z',
    expected: defer('2026-12-24T09:00:00.000Z', 'do_not_contact_until'),
  },
  {
    name: 'do-not-contact-until passed',
    contact: { doNotContactUntil: '2026-01-01' },
    now: '2026-12-01T10:00:00Z',
    expected: send,
  },
  {
    name: 'do-not-contact-until, then a frequency cap',
    contact: { doNotContactUntil: '2026-11-24T09:00:00Z', sends: ['2026-11-23T12:00:00Z'] },
    now: '2026-11-23T13:00:00Z',
    expected: defer('2026-11-24T12:00:00.000Z', 'do_not_contact_until', /; then at most 1 per rolling 24 h/),
  },
  // frequency
  {
    name: 'max per day',
    policy: { frequency: { minGap: 'PT0S' } },
    contact: { sends: ['2026-11-23T10:00:00Z'] },
    now: '2026-11-23T15:00:00Z',
    expected: defer('2026-11-24T10:00:00.000Z', 'max_per_day'),
  },
  {
    name: 'max per day: exactly 24 h later',
    contact: { sends: ['2026-11-23T10:00:00Z'] },
    now: '2026-11-24T10:00:00Z',
    expected: send,
  },
  {
    name: 'max per day of 2 waits for the earlier of the two to leave',
    policy: { frequency: { maxPerDay: 2, minGap: 'PT1H' } },
    contact: { sends: ['2026-11-23T09:00:00Z', '2026-11-23T12:00:00Z'] },
    now: '2026-11-23T15:00:00Z',
    expected: defer('2026-11-24T09:00:00.000Z', 'max_per_day'),
  },
  {
    name: 'max per week',
    contact: { sends: ['2026-11-17T10:00:00Z', '2026-11-19T10:00:00Z', '2026-11-21T10:00:00Z'] },
    now: '2026-11-23T10:00:00Z',
    expected: defer('2026-11-24T10:00:00.000Z', 'max_per_week'),
  },
  {
    name: 'max per week: exactly 7 days later',
    contact: { sends: ['2026-11-16T10:00:00Z', '2026-11-19T10:00:00Z', '2026-11-21T10:00:00Z'] },
    now: '2026-11-23T10:00:00Z',
    expected: send,
  },
  {
    name: 'min gap, then quiet hours',
    policy: { frequency: { maxPerDay: 3 } },
    contact: { sends: ['2026-11-23T09:30:00Z'] },
    now: '2026-11-23T12:00:00Z',
    expected: defer(
      '2026-11-24T08:00:00.000Z',
      'min_gap',
      /min gap PT12H .*; then quiet hours 21:00–08:00 UTC/,
    ),
  },
  {
    name: 'min gap exactly met',
    policy: { frequency: { maxPerDay: 3 } },
    contact: { sends: ['2026-11-23T08:00:00Z'] },
    now: '2026-11-23T20:00:00Z',
    expected: send,
  },
  {
    name: 'min gap longer than the week',
    policy: { frequency: { minGap: 'P10D' } },
    contact: { sends: ['2026-11-14T10:00:00Z'] },
    now: '2026-11-23T10:00:00Z',
    expected: defer('2026-11-24T10:00:00.000Z', 'min_gap'),
  },
  {
    name: 'the end of quiet hours still inside a cap: the cap decides',
    contact: { sends: ['2026-11-23T08:30:00Z'] },
    now: '2026-11-23T23:00:00Z',
    expected: defer('2026-11-24T08:30:00.000Z', 'max_per_day'),
  },
  {
    name: 'a cap that ends inside quiet hours',
    policy: { quietHours: { defaultTimezone: 'Europe/Berlin' } },
    contact: { sends: ['2026-11-23T21:00:00Z'] },
    now: '2026-11-24T10:00:00Z',
    expected: defer(
      '2026-11-25T07:00:00.000Z',
      'max_per_day',
      /24 h; then quiet hours 21:00–08:00 Europe\/Berlin/,
    ),
  },
  // quiet hours
  {
    name: 'quiet hours before midnight',
    now: '2026-11-23T22:00:00Z',
    expected: defer('2026-11-24T08:00:00.000Z', 'quiet_hours'),
  },
  {
    name: 'quiet hours after midnight',
    now: '2026-11-24T07:59:59Z',
    expected: defer('2026-11-24T08:00:00.000Z', 'quiet_hours'),
  },
  { name: 'quiet hours just ended', now: '2026-11-24T08:00:00Z', expected: send },
  { name: 'quiet hours not yet begun', now: '2026-11-23T20:59:59Z', expected: send },
  {
    name: 'quiet hours within one day',
    policy: { quietHours: { start: '12:00', end: '14:00' } },
    now: '2026-11-23T13:00:00Z',
    expected: defer('2026-11-23T14:00:00.000Z', 'quiet_hours'),
  },
  {
    name: 'no quiet hours when start equals end',
    policy: noQuiet,
    now: '2026-11-23T03:00:00Z',
    expected: send,
  },
  {
    name: 'the customer’s zone: New York',
    contact: { timezone: 'America/New_York' },
    now: '2026-11-24T02:30:00Z',
    expected: defer('2026-11-24T13:00:00.000Z', 'quiet_hours', /quiet hours 21:00–08:00 America\/New_York/),
  },
  {
    name: 'the customer’s zone: Kolkata (+05:30)',
    contact: { timezone: 'Asia/Kolkata' },
    now: '2026-06-01T16:00:00Z',
    expected: defer('2026-06-02T02:30:00.000Z', 'quiet_hours'),
  },
  {
    name: 'the policy’s default zone when the customer gave none',
    policy: { quietHours: { defaultTimezone: 'Asia/Kolkata' } },
    now: '2026-06-01T16:00:00Z',
    expected: defer('2026-06-02T02:30:00.000Z', 'quiet_hours'),
  },
  {
    name: 'the customer’s zone wins over the default',
    policy: { quietHours: { defaultTimezone: 'Asia/Kolkata' } },
    contact: { timezone: 'UTC' },
    now: '2026-06-01T16:00:00Z',
    expected: send,
  },
  {
    name: 'Berlin, night of the spring-forward change',
    contact: { timezone: 'Europe/Berlin' },
    now: '2026-03-28T20:30:00Z',
    expected: defer('2026-03-29T06:00:00.000Z', 'quiet_hours'),
  },
  {
    name: 'Berlin, night of the fall-back change',
    contact: { timezone: 'Europe/Berlin' },
    now: '2026-10-24T19:30:00Z',
    expected: defer('2026-10-25T07:00:00.000Z', 'quiet_hours'),
  },
];

describe('decide', () => {
  it.each(cases)('$name', checkCase);

  it('says why in words a person can read', () => {
    const p = Policy.parse({ quietHours: { defaultTimezone: 'Europe/Berlin' } });
    expect(decide(p, contact(), REQUEST, new Date('2026-11-23T22:00:00Z'))).toEqual({
      kind: 'defer',
      until: '2026-11-24T07:00:00.000Z',
      reason: { code: 'quiet_hours', text: 'quiet hours 21:00–08:00 Europe/Berlin' },
    });
  });
});
