import { describe, expect, it } from 'vitest';
import { ContactView } from './contact-view';
import { decide } from './decide';
import type { DeferCode, SendRequest, SuppressCode } from './decision';
import { Policy } from './policy';

type ContactInput = Partial<Omit<ContactView, 'sends'>> & { sends?: string[] };

function contact({ sends = [], ...rest }: ContactInput = {}): ContactView {
  return ContactView.parse({ ...rest, sends: sends.map((at) => ({ at, journey: 'j', template: 't' })) });
}

const REQUEST: SendRequest = {
  journey: 'trade-in',
  template: 'trade-in-offer',
  prospecting: false,
  channel: 'email',
};

type Expected =
  | { kind: 'send' }
  | { kind: 'suppress'; code: SuppressCode; alert?: 'blast_guard' }
  | { kind: 'defer'; until: string; code: DeferCode; text?: RegExp };

type Case = {
  name: string;
  policy?: Record<string, unknown>;
  contact?: ContactInput;
  request?: Partial<SendRequest>;
  now: string;
  expected: Expected;
};

const send: Expected = { kind: 'send' };
const suppress = (code: SuppressCode): Expected => ({ kind: 'suppress', code });
const BLAST: Expected = { kind: 'suppress', code: 'blast_guard', alert: 'blast_guard' };
const defer = (until: string, code: DeferCode, text?: RegExp): Expected => ({
  kind: 'defer',
  until,
  code,
  text,
});
const noCaps = { frequency: { maxPerDay: 100, maxPerWeek: 100, minGap: 'PT0S' } };
const noQuiet = { quietHours: { start: '00:00', end: '00:00' } };

const cases: Case[] = [
  // suppression
  { name: 'nothing holds it back', now: '2026-11-23T10:00:00Z', expected: send },
  {
    name: 'opted out of all',
    contact: { optedOut: ['all'] },
    now: '2026-11-23T10:00:00Z',
    expected: suppress('opted_out'),
  },
  {
    name: 'opted out of email',
    contact: { optedOut: ['email'] },
    now: '2026-11-23T10:00:00Z',
    expected: suppress('opted_out'),
  },
  {
    name: 'opted out of another channel',
    contact: { optedOut: ['sms'] },
    now: '2026-11-23T10:00:00Z',
    expected: send,
  },
  {
    name: 'opted back into email after all',
    contact: { optedOut: ['all'], optedBackIn: ['email'] },
    now: '2026-11-23T10:00:00Z',
    expected: send,
  },
  {
    name: 'hard bounce',
    contact: { hardBounced: true },
    now: '2026-11-23T10:00:00Z',
    expected: suppress('hard_bounced'),
  },
  {
    name: 'hard bounce does not stop another channel',
    contact: { hardBounced: true },
    request: { channel: 'sms' },
    now: '2026-11-23T10:00:00Z',
    expected: send,
  },
  {
    name: 'prospecting an existing customer',
    contact: { status: 'customer' },
    request: { prospecting: true },
    now: '2026-11-23T10:00:00Z',
    expected: suppress('existing_customer'),
  },
  {
    name: 'prospecting a former customer',
    contact: { status: 'former-customer' },
    request: { prospecting: true },
    now: '2026-11-23T10:00:00Z',
    expected: send,
  },
  {
    name: 'a customer journey to a customer',
    contact: { status: 'customer' },
    now: '2026-11-23T10:00:00Z',
    expected: send,
  },
  {
    name: 'topic opted out, case-blind',
    contact: { topicsOptedOut: ['trade-in'] },
    request: { topic: 'Trade-In' },
    now: '2026-11-23T10:00:00Z',
    expected: suppress('topic_opted_out'),
  },
  {
    name: 'another topic',
    contact: { topicsOptedOut: ['trade-in'] },
    request: { topic: 'service' },
    now: '2026-11-23T10:00:00Z',
    expected: send,
  },
  {
    name: 'opt-out wins over the blast guard',
    contact: {
      optedOut: ['all'],
      sends: ['2026-11-23T09:10:00Z', '2026-11-23T09:20:00Z', '2026-11-23T09:30:00Z'],
    },
    now: '2026-11-23T10:00:00Z',
    expected: suppress('opted_out'),
  },
  // blast guard
  {
    name: 'blast guard reached',
    contact: { sends: ['2026-11-23T09:10:00Z', '2026-11-23T09:20:00Z', '2026-11-23T09:30:00Z'] },
    now: '2026-11-23T10:00:00Z',
    expected: BLAST,
  },
  {
    name: 'blast guard: a send exactly an hour ago is out of the window',
    policy: noCaps,
    contact: { sends: ['2026-11-23T09:00:00Z', '2026-11-23T09:20:00Z', '2026-11-23T09:30:00Z'] },
    now: '2026-11-23T10:00:00Z',
    expected: send,
  },
  {
    name: 'blast guard wins over do-not-contact-until',
    contact: {
      doNotContactUntil: '2027-06-01',
      sends: ['2026-11-23T09:10:00Z', '2026-11-23T09:20:00Z', '2026-11-23T09:30:00Z'],
    },
    now: '2026-11-23T10:00:00Z',
    expected: BLAST,
  },
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
  // transactional: an answer to what the person asked is not held back, but still stopped
  {
    name: 'transactional, past the day’s cap, the gap, in quiet hours, during a pause',
    contact: { sends: ['2026-11-23T21:30:00Z'], doNotContactUntil: '2036-01-01' },
    request: { transactional: true },
    now: '2026-11-23T22:00:00Z',
    expected: send,
  },
  {
    name: 'transactional, opted out of email',
    contact: { optedOut: ['email'] },
    request: { transactional: true },
    now: '2026-11-23T10:00:00Z',
    expected: suppress('opted_out'),
  },
  {
    name: 'transactional, hard bounce',
    contact: { hardBounced: true },
    request: { transactional: true },
    now: '2026-11-23T10:00:00Z',
    expected: suppress('hard_bounced'),
  },
  {
    name: 'transactional, at the blast guard',
    policy: noCaps,
    contact: { sends: ['2026-11-23T09:10:00Z', '2026-11-23T09:20:00Z', '2026-11-23T09:30:00Z'] },
    request: { transactional: true },
    now: '2026-11-23T10:00:00Z',
    expected: BLAST,
  },
];

describe('decide', () => {
  it.each(cases)('$name', ({ policy = {}, contact: c = {}, request = {}, now, expected }) => {
    const p = Policy.parse(policy);
    const view = contact(c);
    const req = { ...REQUEST, ...request };
    const decision = decide(p, view, req, new Date(now));
    switch (expected.kind) {
      case 'send':
        expect(decision).toEqual({ kind: 'send' });
        break;
      case 'suppress':
        expect(decision).toEqual({
          kind: 'suppress',
          reason: { code: expected.code, text: expect.any(String) },
          ...(expected.alert ? { alert: expected.alert } : {}),
        });
        break;
      case 'defer':
        expect(decision).toEqual({
          kind: 'defer',
          until: expected.until,
          reason: {
            code: expected.code,
            text: expected.text ? expect.stringMatching(expected.text) : expect.any(String),
          },
        });
        // At `until` every rule allows it; a millisecond earlier one still does not.
        expect(decide(p, view, req, new Date(expected.until))).toEqual({ kind: 'send' });
        expect(decide(p, view, req, new Date(Date.parse(expected.until) - 1)).kind).toBe('defer');
        break;
    }
  });

  it('says why in words a person can read', () => {
    const p = Policy.parse({ quietHours: { defaultTimezone: 'Europe/Berlin' } });
    expect(decide(p, contact(), REQUEST, new Date('2026-11-23T22:00:00Z'))).toEqual({
      kind: 'defer',
      until: '2026-11-24T07:00:00.000Z',
      reason: { code: 'quiet_hours', text: 'quiet hours 21:00–08:00 Europe/Berlin' },
    });
  });
});
