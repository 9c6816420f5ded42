import { describe, expect } from 'vitest';
import { test } from '@tactful/testing';
import { customerKeys } from './keys';
import { createStore } from './store';
import { batchFor, commandFor } from './test-support';

describe('outbox', () => {
  test('pending commands come in commit order; acks remove them and end the pending mark', async ({
    redis,
    namespace,
  }) => {
    const store = createStore({ redis: redis.redis, namespace, shards: 4 });
    const c = 'cust-out';
    const shard = store.shardOf(c);
    const [c1, c2, c3] = ['cmd-03', 'cmd-01', 'cmd-02'].map((id) => commandFor(c, id));
    await store.commit(batchFor(c, 'evt-1', 0, { outbox: [c1!, c2!] }));
    await store.commit(batchFor(c, 'evt-2', 1, { outbox: [c3!] }));
    expect(await store.pendingOutbox(c)).toEqual([c1, c2, c3]);
    expect(await store.customersWithPendingOutbox(shard)).toEqual([c]);

    expect(await store.ackOutbox(c, ['cmd-01', 'cmd-unknown'])).toBe(1);
    expect(await store.pendingOutbox(c)).toEqual([c1, c3]);
    expect(await store.customersWithPendingOutbox(shard)).toEqual([c]);

    expect(await store.ackOutbox(c, ['cmd-03', 'cmd-02'])).toBe(2);
    expect(await store.pendingOutbox(c)).toEqual([]);
    expect(await store.customersWithPendingOutbox(shard)).toEqual([]);
    // a relay that crashed after producing acks again
    expect(await store.ackOutbox(c, ['cmd-03'])).toBe(0);
    const keys = customerKeys(namespace, shard, c);
    expect(await redis.redis.exists(keys.outbox, keys.outboxOrder)).toBe(0);
  });

  test('a command id already pending is kept once', async ({ redis, namespace }) => {
    const store = createStore({ redis: redis.redis, namespace, shards: 4 });
    const c = 'cust-again';
    const command = commandFor(c, 'cmd-0a');
    await store.commit(batchFor(c, 'evt-1', 0, { outbox: [command] }));
    await store.commit(batchFor(c, 'evt-2', 1, { outbox: [{ ...command, note: 'a re-made decision' }] }));
    expect(await store.pendingOutbox(c)).toEqual([command]);
  });

  test('recovery lists every customer of a shard with pending commands', async ({ redis, namespace }) => {
    const store = createStore({ redis: redis.redis, namespace, shards: 2 });
    const customers = Array.from({ length: 40 }, (_, i) => `cust-${i}`);
    for (const c of customers)
      await store.commit(batchFor(c, 'evt-1', 0, { outbox: [commandFor(c, 'cmd-1')] }));
    await store.ackOutbox('cust-0', ['cmd-1']);
    const listed = [
      ...(await store.customersWithPendingOutbox(0)),
      ...(await store.customersWithPendingOutbox(1)),
    ];
    expect(listed.sort()).toEqual(customers.slice(1).sort());
    for (const shard of [0, 1])
      for (const c of await store.customersWithPendingOutbox(shard)) expect(store.shardOf(c)).toBe(shard);
  });
});
