import { describe, expect } from 'vitest';
import { TactfulError } from '@tactful/events';
import { test } from '@tactful/testing';
import { migrateNamespace, MIGRATED_OUTBOX_PREFIX } from './migrate';
import { createStore } from './store';
import { commitLayout1, markLayout1 } from './testdata/layout1-writer';

const SHARDS = 8;

/** A namespace as the layout 1 store left it: states, ledgers, timers, processed ids, an unrelayed outbox. */
async function writeLayout1(redis: Parameters<typeof commitLayout1>[0], namespace: string): Promise<void> {
  await markLayout1(redis, namespace, SHARDS);
  for (let i = 0; i < 20; i++) {
    const c = `old-${i}`;
    await commitLayout1(redis, namespace, SHARDS, {
      customerId: c,
      expectedVersion: 0,
      eventId: `evt-${i}-a`,
      state: { customerId: c, templatesSent: ['wp-welcome'], n: i },
      ledgerAdd: ['wp-welcome'],
      timersAdd: [
        {
          id: `tmr-${i}`,
          customerId: c,
          journey: 'wp',
          journeyVersion: 1,
          dueAt: 1000 + i,
          payload: { kind: 'after' },
        },
      ],
      audit: [{ customerId: c, decision: 'entered' }],
    });
    await commitLayout1(redis, namespace, SHARDS, {
      customerId: c,
      expectedVersion: 1,
      eventId: `evt-${i}-b`,
      state: { customerId: c, n: i, second: true },
    });
  }
  // committed but never relayed: a crash of the old orchestrator between its commit and its relay
  await commitLayout1(redis, namespace, SHARDS, {
    customerId: 'odd{id}:x',
    expectedVersion: 0,
    eventId: 'evt-odd',
    state: { n: 'odd' },
    outbox: [
      { id: 'cmd-odd', topic: 'commands', value: { id: 'cmd-odd', template: 't' } },
      { id: 'aud-odd', topic: 'audit', value: { decision: 'sent' } },
    ],
  });
  // a decision the dispatcher recorded for a customer the orchestrator never saw
  await redis.rpush(`${namespace}:{s0}:c:ghost:audit`, '{}');
}

describe('migrating from layout 1', () => {
  test('a namespace written by layout 1 is refused until migrated, then reads the same', async ({
    redis,
    namespace,
  }) => {
    await writeLayout1(redis.redis, namespace);
    const store = createStore({ redis: redis.redis, namespace, shards: SHARDS });
    const refused = await store.load('old-1').catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(TactfulError);
    expect((refused as Error).message).toContain('tactful store migrate');

    const summary = await migrateNamespace({ redis: redis.redis, namespace });
    expect(summary).toMatchObject({
      from: 1,
      to: 2,
      shards: SHARDS,
      customers: 21,
      timers: 20,
      outboxMessages: 2,
      // the audit list of a customer without state, and the pending set of the old outboxes
      leftoverKeys: 2,
    });
    const fresh = createStore({ redis: redis.redis, namespace, shards: SHARDS });
    const loaded = await fresh.load('old-3');
    expect(loaded).toMatchObject({
      version: 2,
      state: { customerId: 'old-3', n: 3, second: true },
      ledger: ['wp-welcome'],
    });
    expect(loaded.timers).toEqual([
      {
        id: 'tmr-3',
        customerId: 'old-3',
        journey: 'wp',
        journeyVersion: 1,
        dueAt: 1003,
        payload: { kind: 'after' },
      },
    ]);
    // the processed ids became the recent window: a redelivery of an old event is still a duplicate
    expect(await fresh.isProcessed('old-3', 'evt-3-a')).toBe(true);
    expect(await fresh.isProcessed('old-3', 'evt-3-c')).toBe(false);
    // the timer index holds the new members: the timer service finds every timer
    let due = 0;
    for (let s = 0; s < SHARDS; s++) due += (await fresh.dueTimers(s, 5000, 100)).length;
    expect(due).toBe(20);
    // the unrelayed outbox waits for the orchestrator, each message as the old relay would have sent it
    const pending = await fresh.pendingOutbox(MIGRATED_OUTBOX_PREFIX);
    expect(pending.flatMap((p) => p.messages)).toEqual([
      {
        id: 'cmd-odd',
        topic: `${namespace}.commands`,
        key: 'odd{id}:x',
        value: '{"id":"cmd-odd","template":"t"}',
      },
      { id: 'aud-odd', topic: `${namespace}.audit`, key: 'odd{id}:x', value: '{"decision":"sent"}' },
    ]);
    // nothing of layout 1 is left: one record per customer
    const keys = await redis.redis.keys(`${namespace}:*:c:*`);
    expect(keys.every((k) => k.endsWith(':r'))).toBe(true);
    expect(keys).toHaveLength(21);

    // idempotent: a second run finds nothing to do
    expect(await migrateNamespace({ redis: redis.redis, namespace })).toMatchObject({
      from: 2,
      customers: 0,
    });
  });

  test('a run that crashed half-way is finished by the next, with every customer moved once', async ({
    redis,
    namespace,
  }) => {
    await writeLayout1(redis.redis, namespace);
    const crash = new Error('crash after 5 customers');
    await expect(
      migrateNamespace({
        redis: redis.redis,
        namespace,
        onProgress: ({ customers }) => {
          if (customers === 5) throw crash;
        },
      }),
    ).rejects.toBe(crash);
    // still layout 1: the services keep refusing to start
    await expect(
      createStore({ redis: redis.redis, namespace, shards: SHARDS }).ensureLayout(),
    ).rejects.toThrow(/store migrate/);
    const rest = await migrateNamespace({ redis: redis.redis, namespace });
    expect(rest).toMatchObject({ from: 1, customers: 16 });
    const store = createStore({ redis: redis.redis, namespace, shards: SHARDS });
    const all = await store.loadMany(Array.from({ length: 20 }, (_, i) => `old-${i}`));
    expect(all.map((c) => c.version)).toEqual(Array.from({ length: 20 }, () => 2));
  });
});
