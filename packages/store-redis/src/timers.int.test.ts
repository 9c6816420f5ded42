import { describe, expect } from 'vitest';
import { test } from '@tactful/testing';
import { shardKeys, timerMember } from './keys';
import { createStore, type Store } from './store';
import { commitNext, timerFor } from './test-support';

const SHARDS = 4;

/** One customer id per shard, so a test can place timers in the shards it wants. */
function customerPerShard(store: Store): string[] {
  const found: string[] = [];
  for (let i = 0; found.filter(Boolean).length < SHARDS; i++) {
    const id = `cust-${i}`;
    found[store.shardOf(id)] ??= id;
  }
  return found;
}

async function addTimers(store: Store, customerId: string, version: number, timers: [string, number][]) {
  const timersAdd = timers.map(([id, dueAt]) => timerFor(customerId, id, dueAt));
  const result = await commitNext(store, customerId, `add-${version}`, { timersAdd });
  expect(result.status).toBe('committed');
  return timersAdd;
}

describe('timers', () => {
  test('due timers come earliest first, per shard, up to the limit', async ({ redis, namespace }) => {
    const store = createStore({ redis: redis.redis, namespace, shards: SHARDS });
    const [a, b] = customerPerShard(store) as [string, string];
    const [late, early, never] = await addTimers(store, a, 0, [
      ['t-late', 2000],
      ['t-early', 1000],
      ['t-never', 9000],
    ]);
    const [other] = await addTimers(store, b, 0, [['t-b', 500]]);
    expect(await store.dueTimers(store.shardOf(a), 2000, 10)).toEqual([early, late]);
    expect(await store.dueTimers(store.shardOf(a), 2000, 1)).toEqual([early]);
    expect(await store.dueTimers(store.shardOf(a), 999, 10)).toEqual([]);
    expect(await store.dueTimers(store.shardOf(b), 2000, 10)).toEqual([other]);
    expect(await store.timersOf(a)).toEqual([early, late, never]);
  });

  test('a commit that cancels a timer removes it from the customer and the shard index', async ({
    redis,
    namespace,
  }) => {
    const store = createStore({ redis: redis.redis, namespace, shards: SHARDS });
    const c = 'cust-cancel';
    await addTimers(store, c, 0, [
      ['t-1', 1000],
      ['t-2', 2000],
    ]);
    const result = await commitNext(store, c, 'evt-cancel', { timersCancel: ['t-1', 't-unknown'] });
    expect(result).toEqual({ status: 'committed', version: 2 });
    expect((await store.timersOf(c)).map((t) => t.id)).toEqual(['t-2']);
    const index = shardKeys(namespace, store.shardOf(c)).timers;
    expect(await redis.redis.zrangeBuffer(index, 0, -1)).toEqual([timerMember(c, 't-2')]);
    expect(await store.dueTimers(store.shardOf(c), 5000, 10)).toMatchObject([{ id: 't-2' }]);
  });

  test('cancel and add of one id in one commit reschedules it', async ({ redis, namespace }) => {
    const store = createStore({ redis: redis.redis, namespace, shards: SHARDS });
    const c = 'cust-resched';
    await addTimers(store, c, 0, [['t-1', 1000]]);
    const moved = timerFor(c, 't-1', 7000);
    await commitNext(store, c, 'evt-move', { timersCancel: ['t-1'], timersAdd: [moved] });
    expect(await store.dueTimers(store.shardOf(c), 5000, 10)).toEqual([]);
    expect(await store.dueTimers(store.shardOf(c), 7000, 10)).toEqual([moved]);
  });

  test('removing fired timers spares one rescheduled since it was read; the record keeps them until applied', async ({
    redis,
    namespace,
  }) => {
    const store = createStore({ redis: redis.redis, namespace, shards: SHARDS });
    const c = 'cust-fire';
    const shard = store.shardOf(c);
    await addTimers(store, c, 0, [
      ['t-1', 1000],
      ['t-2', 1500],
    ]);
    const due = await store.dueTimers(shard, 2000, 10);
    expect(due.map((t) => t.id)).toEqual(['t-1', 't-2']);
    // while the timer service produced the events, the journey moved t-2 later
    await commitNext(store, c, 'evt-move', { timersAdd: [timerFor(c, 't-2', 9000)] });
    const refs = due.map((t) => ({ customerId: t.customerId, timerId: t.id, dueAt: t.dueAt }));
    expect(await store.removeTimers(shard, refs)).toBe(1);
    expect(await store.dueTimers(shard, 10_000, 10)).toEqual([timerFor(c, 't-2', 9000)]);
    // the fired timer stays in the record until the orchestrator applies its timer.fired event
    expect((await store.timersOf(c)).map((t) => t.id)).toEqual(['t-1', 't-2']);
    // without a due time the removal is unconditional; repeating it is harmless
    expect(await store.removeTimers(shard, [{ customerId: c, timerId: 't-2' }])).toBe(1);
    expect(await store.removeTimers(shard, [{ customerId: c, timerId: 't-2' }])).toBe(0);
    expect(await store.dueTimers(shard, 10_000, 10)).toEqual([]);
    expect(await store.timerBacklog()).toEqual({ count: 0, oldestDueAt: null, dueCount: null });
    // applying the fired events drops the timers from the record, and the index stays as it is
    await commitNext(store, c, 't-1', { timersCancel: ['t-1', 't-2'] });
    expect(await store.timersOf(c)).toEqual([]);
  });

  test('refuses to remove a timer through a shard that is not its customer’s', async ({
    redis,
    namespace,
  }) => {
    const store = createStore({ redis: redis.redis, namespace, shards: SHARDS });
    const [a] = customerPerShard(store) as [string];
    const wrong = (store.shardOf(a) + 1) % SHARDS;
    await expect(store.removeTimers(wrong, [{ customerId: a, timerId: 't' }])).rejects.toThrow(
      /not in shard/,
    );
    await expect(store.dueTimers(SHARDS, 0, 1)).rejects.toThrow(/shard 4 is not one of/);
  });

  test('the backlog counts timers over every shard, with the oldest due time', async ({
    redis,
    namespace,
  }) => {
    const store = createStore({ redis: redis.redis, namespace, shards: SHARDS });
    const customers = customerPerShard(store);
    for (const [i, c] of customers.entries())
      await addTimers(store, c, 0, [
        ['t-a', 1000 * (i + 2)],
        ['t-b', 10_000 + i],
      ]);
    expect(await store.timerBacklog()).toEqual({ count: 8, oldestDueAt: 2000, dueCount: null });
    expect(await store.timerBacklog(4000)).toEqual({ count: 8, oldestDueAt: 2000, dueCount: 3 });
  });

  test('an index entry without its timer is cleared instead of blocking the shard', async ({
    redis,
    namespace,
  }) => {
    const store = createStore({ redis: redis.redis, namespace, shards: SHARDS });
    const c = 'cust-orphan';
    const shard = store.shardOf(c);
    const index = shardKeys(namespace, shard).timers;
    const [real] = await addTimers(store, c, 0, [['t-real', 3000]]);
    await redis.redis.zadd(index, 1000, timerMember(c, 't-gone'), 1001, 'not-a-member');
    // the garbage takes the first two places: one read skips it and clears it
    expect(await store.dueTimers(shard, 5000, 2)).toEqual([]);
    expect(await redis.redis.zrangeBuffer(index, 0, -1)).toEqual([timerMember(c, 't-real')]);
    expect(await store.dueTimers(shard, 5000, 2)).toEqual([real]);
  });
});
