import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { startRedisCluster, test, type RedisCluster } from '@tactful/testing';
import { customerKeys, shardKeys } from './keys';
import { scanCustomers } from './scan-customers';
import { createStore } from './store';
import { commitFrom } from './commit-builder';
import { commitNext, messageFor, timerFor } from './test-support';

// On a real 3-node Redis Cluster: a sub-batch's commit runs one script per hash slot (a script may only
// touch keys of one slot), its load one pipeline per slot. This is where the hash-tag layout proves itself.

let cluster: RedisCluster;
let client: Cluster;

beforeAll(async () => {
  cluster = await startRedisCluster();
  client = new Cluster(cluster.nodes, { redisOptions: { maxRetriesPerRequest: 2, connectTimeout: 3000 } });
});

afterAll(async () => {
  // each step runs even if an earlier one failed: the servers must not outlive the tests
  await client?.quit().catch((err: unknown) => console.error('closing the cluster client failed', err));
  await cluster?.stop();
});

describe('on Redis Cluster', () => {
  test('commits a sub-batch across slots, loads, fires timers and relays outboxes for many customers', async ({
    namespace,
  }) => {
    const store = createStore({ redis: client, namespace });
    const customers = Array.from({ length: 300 }, (_, i) => `cluster-cust-${i}`);
    const { results, outbox } = await store.commitMany(
      (await store.loadMany(customers)).map((l, i) =>
        commitFrom(l, {
          eventId: 'evt-1',
          state: { i },
          ledgerAdd: ['wp-welcome'],
          timersAdd: [timerFor(l.customerId, 't-1', 1000 + i)],
          outbox: [messageFor(l.customerId, 'cmd-1')],
        }),
      ),
      'p0',
    );
    expect(results.every((r) => r.status === 'committed')).toBe(true);
    // one group, so one outbox field, per shard the customers fall in
    expect(outbox.length).toBe(new Set(customers.map((c) => store.shardOf(c))).size);
    const loaded = await store.loadMany(customers);
    loaded.forEach((l, i) => expect(l).toMatchObject({ version: 1, state: { i }, ledger: ['wp-welcome'] }));
    // a scan visits every primary and reads each page from its own node
    const scanned: string[] = [];
    for await (const page of scanCustomers({ redis: client, namespace, count: 50 }))
      scanned.push(...page.map((c) => c.customerId));
    expect(scanned.sort()).toEqual([...customers].sort());

    // the customers' keys are spread over every node, not piled on one
    const sizes = await Promise.all(
      cluster.nodes.map(async (node) => {
        const direct = new Redis(node.port, node.host);
        try {
          return await direct.dbsize();
        } finally {
          direct.disconnect();
        }
      }),
    );
    for (const size of sizes) expect(size).toBeGreaterThan(0);

    // every key of a customer, and its shard's keys, in one slot
    const sample = customers[7]!;
    const shard = store.shardOf(sample);
    const keys = [
      ...Object.values(customerKeys(namespace, shard, sample)),
      ...Object.values(shardKeys(namespace, shard)),
    ];
    const slots = await Promise.all(keys.map((k) => client.cluster('KEYSLOT', k)));
    expect(new Set(slots).size).toBe(1);

    let fired = 0;
    for (let s = 0; s < store.shards; s++) {
      const due = await store.dueTimers(s, 2000, 1000);
      fired += due.length;
      await store.removeTimers(
        s,
        due.map((t) => ({ customerId: t.customerId, timerId: t.id, dueAt: t.dueAt })),
      );
    }
    expect(fired).toBe(300);
    expect(await store.timerBacklog(5000)).toEqual({ count: 0, oldestDueAt: null, dueCount: 0 });

    const pending = await store.pendingOutbox('p0');
    expect(pending.flatMap((p) => p.messages)).toHaveLength(300);
    expect(await store.ackOutbox(pending)).toBe(outbox.length);
    expect(await store.pendingOutbox('p0')).toEqual([]);
  });

  test('racing commits on one customer: exactly one commits', async ({ namespace }) => {
    const store = createStore({ redis: client, namespace });
    const loaded = await store.load('cluster-race');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.commit(commitFrom(loaded, { eventId: `evt-${i}`, ledgerAdd: ['a'] })),
      ),
    );
    expect(await commitNext(store, 'cluster-race', 'evt-next')).toMatchObject({ status: 'committed' });
    expect(results.filter((r) => r.status === 'committed')).toHaveLength(1);
    await store.markHalted('cluster-race', {
      eventId: 'evt-out',
      type: 'contact.opted_out',
      at: 1,
      optOut: true,
    });
    expect(await store.load('cluster-race')).toMatchObject({
      version: 2,
      ledger: ['a'],
      halts: [{ eventId: 'evt-out' }],
    });
  });
});
