import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HaltMark, haltMarkCovers } from './halt-mark';

const reply: HaltMark = { eventId: 'e-2', type: 'email.replied', at: 2000, journeys: ['a', 'b'] };
const optOut: HaltMark = { eventId: 'e-3', type: 'contact.opted_out', at: 3000, optOut: true };
const bounce: HaltMark = { eventId: 'e-5', type: 'email.bounced', at: 1 };
const left: HaltMark = {
  eventId: 'e-4',
  type: 'contact.preferences_updated',
  at: 4000,
  journeys: [],
  topics: ['offers'],
};

const name = fc.string({ minLength: 1, maxLength: 8 });
const mark = fc.record(
  {
    eventId: name,
    type: name,
    at: fc.nat(),
    journeys: fc.array(name, { maxLength: 3 }),
    optOut: fc.boolean(),
    topics: fc.array(name, { maxLength: 3 }),
    position: fc.record({
      partition: fc.nat(1000),
      offset: fc.bigInt({ min: 0n, max: 2n ** 63n }).map(String),
    }),
  },
  { requiredKeys: ['eventId', 'type', 'at'] },
);

describe('haltMarkCovers', () => {
  it('covers the journeys a mark names, every journey without a list, and everything after an opt-out', () => {
    expect(haltMarkCovers(reply, 'b')).toBe(true);
    expect(haltMarkCovers(reply, 'd')).toBe(false);
    expect(haltMarkCovers(bounce, 'd')).toBe(true);
    expect(haltMarkCovers({ ...optOut, journeys: [] }, 'd', 'offers')).toBe(true);
  });

  it('covers a send of a topic the person left, trimmed and case-blind, in any journey, and no other send', () => {
    expect(haltMarkCovers(left, 'digest', ' Offers')).toBe(true);
    expect(haltMarkCovers({ ...left, topics: ['Offers '] }, 'digest', 'offers')).toBe(true);
    expect(haltMarkCovers(left, 'digest', 'digest')).toBe(false);
    expect(haltMarkCovers(left, 'digest')).toBe(false);
  });

  it('for every mark: a journey it names is covered whatever the topic, and an opt-out covers every send', () => {
    fc.assert(
      fc.property(mark, name, fc.option(name, { nil: undefined }), (m, journey, topic) => {
        if (m.optOut === true || m.journeys === undefined)
          expect(haltMarkCovers(m, journey, topic)).toBe(true);
        for (const named of m.journeys ?? []) expect(haltMarkCovers(m, named, topic)).toBe(true);
        // a topic only ever adds: covered without one means covered with any
        if (haltMarkCovers(m, journey)) expect(haltMarkCovers(m, journey, topic)).toBe(true);
      }),
    );
  });
});

describe('HaltMark', () => {
  it('for every mark: its JSON reads back as the same mark, and fields it does not have are dropped', () => {
    fc.assert(
      fc.property(mark, (m) => {
        expect(HaltMark.parse(JSON.parse(JSON.stringify(m)))).toEqual(m);
        expect(HaltMark.parse({ ...m, extra: 1 })).toEqual(m);
      }),
    );
  });

  it('refuses a mark the store could not compare or order, naming each problem', () => {
    const result = HaltMark.safeParse({
      eventId: '',
      type: 'email.replied',
      at: -1,
      position: { partition: 0, offset: '1e3' },
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'at',
      'eventId',
      'position.offset',
    ]);
    const worse = HaltMark.safeParse({
      eventId: 'e',
      type: '',
      at: 1.5,
      journeys: [''],
      optOut: 'yes',
      topics: [''],
      position: { partition: 1.5, offset: '1' },
    });
    expect(worse.error?.issues).toHaveLength(6);
  });
});
