import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasReachedEnds, lagOf, unreadMessages, type CommittedOffset, type LogRange } from './group-offsets';
import { partitionKey } from './lag-sample';

const offset = fc.integer({ min: 0, max: 1_000_000 });
const range = fc
  .tuple(offset, offset)
  .map(([a, b]): LogRange => ({ low: Math.min(a, b), high: Math.max(a, b) }));

describe('lagOf', () => {
  it('is the messages from the committed offset to the end, never below 0', () => {
    fc.assert(
      fc.property(offset, range, (committed, end) => {
        const lag = lagOf(committed, end);
        expect(lag).toBe(committed >= end.high ? 0 : end.high - committed);
      }),
    );
  });

  it('is unknown when the group never committed or the partition is unknown', () => {
    expect(lagOf(null, { low: 0, high: 5 })).toBeNull();
    expect(lagOf(3, undefined)).toBeNull();
  });
});

describe('hasReachedEnds', () => {
  const topic = 't';
  const entries = fc.array(fc.tuple(range, fc.option(offset, { nil: null })), { maxLength: 6 });

  it('holds exactly when every partition with messages has lag 0', () => {
    fc.assert(
      fc.property(entries, (list) => {
        const ends = new Map(list.map(([end], partition) => [partitionKey({ topic, partition }), end]));
        const committed: CommittedOffset[] = list.map(([, c], partition) => ({
          topic,
          partition,
          committed: c,
        }));
        const expected = list.every(([end, c]) => end.low === end.high || (c !== null && c >= end.high));
        expect(hasReachedEnds(committed, ends)).toBe(expected);
      }),
    );
  });

  it('counts a partition the group has no entry for as not read', () => {
    const ends = new Map([[partitionKey({ topic, partition: 0 }), { low: 0, high: 1 }]]);
    expect(hasReachedEnds([], ends)).toBe(false);
    expect(hasReachedEnds([], new Map([[partitionKey({ topic, partition: 0 }), { low: 4, high: 4 }]]))).toBe(
      true,
    );
  });
});

describe('unreadMessages', () => {
  const topic = 't';
  const entries = fc.array(fc.tuple(range, fc.option(offset, { nil: null })), { maxLength: 6 });

  it('sums the lag where the group committed and the whole log where it never did', () => {
    fc.assert(
      fc.property(entries, (list) => {
        const ends = new Map(list.map(([end], partition) => [partitionKey({ topic, partition }), end]));
        const committed: CommittedOffset[] = list.map(([, c], partition) => ({
          topic,
          partition,
          committed: c,
        }));
        const expected = list.reduce(
          (sum, [end, c]) => sum + (c === null ? end.high - end.low : Math.max(0, end.high - c)),
          0,
        );
        expect(unreadMessages(committed, ends)).toBe(expected);
      }),
    );
  });

  it('counts a partition the group has no entry for from its log start', () => {
    const ends = new Map([[partitionKey({ topic, partition: 0 }), { low: 2, high: 7 }]]);
    expect(unreadMessages([], ends)).toBe(5);
  });
});
