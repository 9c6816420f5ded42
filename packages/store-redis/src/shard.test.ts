import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shardOf } from './shard';

describe('shardOf', () => {
  it('is pinned: the shard is part of every key, so a change would orphan every customer', () => {
    // sha1('cust-42') starts ee b3 …: 4004754252; mod 64 = 12
    expect(shardOf('cust-42', 64)).toBe(12);
    expect(shardOf('ann@example.com', 64)).toBe(33);
    expect(shardOf('cust-42', 16_384)).toBe(13_132);
  });

  it('is in range and stable for every id and shard count', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.integer({ min: 1, max: 16_384 }), (id, shards) => {
        const shard = shardOf(id, shards);
        expect(shard).toBeGreaterThanOrEqual(0);
        expect(shard).toBeLessThan(shards);
        expect(shardOf(id, shards)).toBe(shard);
      }),
    );
  });

  it('spreads customers evenly, so no shard (and no slot) is hot', () => {
    const counts = new Array<number>(64).fill(0);
    for (let i = 0; i < 64_000; i++) counts[shardOf(`cust-${i}`, 64)]! += 1;
    // 1000 expected per shard, standard deviation ≈ 31: ±15 % is far outside chance
    expect(Math.min(...counts)).toBeGreaterThan(850);
    expect(Math.max(...counts)).toBeLessThan(1150);
  });
});
