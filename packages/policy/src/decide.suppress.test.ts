import { describe, it } from 'vitest';
import { BLAST, checkCase, noCaps, send, suppress, type Case } from './decide.fixtures';

// What stops a send for good: suppressions, the blast guard, and what a transactional send still obeys.
// What only holds a send back (a deferral) is in decide.defer.test.ts.

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
  it.each(cases)('$name', checkCase);
});
