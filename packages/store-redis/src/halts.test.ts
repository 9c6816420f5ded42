import { describe, expect, it } from 'vitest';
import { haltsJourney, isOptedOut, normaliseHalt, sortHalts } from './halts';
import type { HaltMark } from './types';

const reply: HaltMark = { eventId: 'e-2', type: 'email.replied', at: 2000, journeys: ['a', 'b'] };
const purchase: HaltMark = { eventId: 'e-1', type: 'purchase.completed', at: 1000, journeys: ['c'] };
const optOut: HaltMark = { eventId: 'e-3', type: 'contact.opted_out', at: 3000, optOut: true };

describe('halt marks', () => {
  it('halts a journey named by any mark, and every journey after an opt-out or a mark without a list', () => {
    expect(haltsJourney([reply, purchase], 'b')).toBe(true);
    expect(haltsJourney([reply, purchase], 'c')).toBe(true);
    expect(haltsJourney([reply, purchase], 'd')).toBe(false);
    expect(haltsJourney([reply, optOut], 'd')).toBe(true);
    expect(haltsJourney([{ eventId: 'e', type: 'email.bounced', at: 1 }], 'd')).toBe(true);
    expect(haltsJourney([], 'a')).toBe(false);
  });

  it('halts a send of a topic a mark names, in any journey, and no other send', () => {
    const left: HaltMark = {
      eventId: 'e-4',
      type: 'contact.preferences_updated',
      at: 4000,
      journeys: [],
      topics: ['offers'],
    };
    expect(haltsJourney([left], 'digest', 'Offers')).toBe(true);
    expect(haltsJourney([left], 'digest', 'digest')).toBe(false);
    expect(haltsJourney([left], 'digest')).toBe(false);
    expect(normaliseHalt(left)).toEqual(left);
  });

  it('tells an opt-out from other halts', () => {
    expect(isOptedOut([reply, purchase])).toBe(false);
    expect(isOptedOut([reply, optOut])).toBe(true);
  });

  it('orders marks by time, then event id', () => {
    const tie = { ...purchase, eventId: 'e-0' };
    expect(sortHalts([optOut, reply, purchase, tie]).map((m) => m.eventId)).toEqual([
      'e-0',
      'e-1',
      'e-2',
      'e-3',
    ]);
  });

  it('stores only the fields of a mark', () => {
    expect(normaliseHalt({ ...reply, extra: 1 } as HaltMark)).toEqual(reply);
    expect('journeys' in normaliseHalt(optOut)).toBe(false);
  });
});
