import { describe, expect } from 'vitest';
import { test } from '@tactful/testing';
import { createStore } from './store';
import { batchFor, snapshot } from './test-support';

describe('counters', () => {
  test('sum what the commits added, over every shard, each commit counted once', async ({
    redis,
    namespace,
  }) => {
    const store = createStore({ redis: redis.redis, namespace, shards: 8 });
    expect(await store.counters()).toEqual({});
    // customers spread over several shards, so the sum really crosses shards
    const customers = ['ann', 'bob', 'cyd', 'dee', 'eve', 'fay'];
    expect(new Set(customers.map((c) => store.shardOf(c))).size).toBeGreaterThan(1);
    for (const c of customers)
      await store.commit(batchFor(c, 'evt-1', 0, { counters: { entered: 1, welcome: 1 } }));
    await store.commit(batchFor('ann', 'evt-2', 1, { counters: { welcome: -1, checkIn: 1, zero: 0 } }));
    expect(await store.counters()).toEqual({ entered: 6, welcome: 5, checkIn: 1 });
  });

  test('a duplicate or a conflicting commit adds nothing', async ({ redis, namespace }) => {
    const store = createStore({ redis: redis.redis, namespace });
    await store.commit(batchFor('c', 'evt-1', 0, { counters: { entered: 1 } }));
    const before = await snapshot(redis.redis, redis.prefix);
    expect(await store.commit(batchFor('c', 'evt-1', 0, { counters: { entered: 1 } }))).toEqual({
      status: 'duplicate',
    });
    expect(await store.commit(batchFor('c', 'evt-2', 0, { counters: { entered: 1 } }))).toMatchObject({
      status: 'conflict',
    });
    expect(await snapshot(redis.redis, redis.prefix)).toEqual(before);
    expect(await store.counters()).toEqual({ entered: 1 });
  });
});
