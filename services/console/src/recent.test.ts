import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRecent, type Position } from './recent';

const at = (partition: number, offset: number, timestamp: number): Position => ({
  topic: 'ns.audit',
  partition,
  offset: String(offset),
  timestamp,
});

describe('createRecent', () => {
  it('keeps the newest records once each, newest first', () => {
    const recent = createRecent<{ n: number }>(3);
    recent.add(at(0, 1, 100), { n: 1 });
    recent.add(at(1, 7, 300), { n: 2 });
    recent.add(at(0, 2, 200), { n: 3 });
    recent.add(at(1, 7, 300), { n: 2 }); // read again after a rebalance
    recent.add(at(0, 0, 50), { n: 4 });
    expect(recent.list().map((r) => r.n)).toEqual([2, 3, 1]);
  });

  it('whatever the order and repetitions, equals the newest distinct records', () => {
    // a record's timestamp is fixed by its position; several records share one, as in Kafka
    const positions = fc.array(
      fc
        .record({ partition: fc.nat(3), offset: fc.nat(50) })
        .map((p) => ({ ...p, timestamp: (p.offset * 7 + p.partition * 3) % 20 })),
      { maxLength: 80 },
    );
    fc.assert(
      fc.property(positions, fc.integer({ min: 1, max: 10 }), (items, limit) => {
        const recent = createRecent<object>(limit);
        for (const p of items) recent.add(at(p.partition, p.offset, p.timestamp), {});
        const distinct = new Map(items.map((p) => [`${p.partition}/${p.offset}`, p]));
        const expected = [...distinct.values()]
          .sort((a, b) => b.timestamp - a.timestamp || b.partition - a.partition || b.offset - a.offset)
          .slice(0, limit)
          .map((p) => `${p.partition}/${p.offset}`);
        expect(recent.list().map((r) => `${r.position.partition}/${r.position.offset}`)).toEqual(expected);
      }),
    );
  });
});
