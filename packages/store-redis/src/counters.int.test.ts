import { describe, expect } from 'vitest';
import { test } from '@tactful/testing';
import { createStore } from './store';
import { commitFrom } from './commit-builder';
import { commitNext, snapshot } from './test-support';

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
    for (const c of customers) await commitNext(store, c, 'evt-1', { counters: { entered: 1, welcome: 1 } });
    await commitNext(store, 'ann', 'evt-2', { counters: { welcome: -1, checkIn: 1, zero: 0 } });
    expect(await store.counters()).toEqual({ entered: 6, welcome: 5, checkIn: 1 });
  });

  test('a conflicting commit adds nothing', async ({ redis, namespace }) => {
    const store = createStore({ redis: redis.redis, namespace });
    const stale = await store.load('c');
    await commitNext(store, 'c', 'evt-1', { counters: { entered: 1 } });
    const before = await snapshot(redis.redis, redis.prefix);
    expect(
      await store.commit(commitFrom(stale, { eventId: 'evt-2', counters: { entered: 1 } })),
    ).toMatchObject({
      status: 'conflict',
    });
    expect(await snapshot(redis.redis, redis.prefix)).toEqual(before);
    expect(await store.counters()).toEqual({ entered: 1 });
  });
});
