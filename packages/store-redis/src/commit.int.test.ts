import { describe, expect } from 'vitest';
import { TactfulError } from '@tactful/events';
import { test } from '@tactful/testing';
import { createStore } from './store';
import { auditFor, batchFor, commandFor, snapshot, timerFor } from './test-support';

describe('commit', () => {
  test('a new customer loads as version 0 with nothing', async ({ redis, namespace }) => {
    const store = createStore({ redis: redis.redis, namespace });
    expect(await store.load('cust-new')).toEqual({
      version: 0,
      state: null,
      ledger: [],
      halts: [],
      halt: null,
    });
    expect(await store.isProcessed('cust-new', 'e-1')).toBe(false);
  });

  test('commit then load round-trips every part', async ({ redis, namespace }) => {
    const store = createStore({ redis: redis.redis, namespace });
    const c = 'cust-42';
    const state = {
      journeys: { 'whitepaper-nurture': { value: 'welcome', version: 3 } },
      empty: [],
      nil: null,
    };
    const timer = timerFor(c, 't-welcome', 1_800_000_000_000, { delay: 'P3D' });
    const command = commandFor(c, 'cmd-01');
    const audit = auditFor(c, 'entered on form.submitted');
    const result = await store.commit(
      batchFor(c, 'evt-1', 0, {
        state,
        ledgerAdd: ['wp-welcome'],
        timersAdd: [timer],
        outbox: [command],
        audit: [audit],
      }),
    );
    expect(result).toEqual({ status: 'committed', version: 1 });
    expect(await store.load(c)).toEqual({ version: 1, state, ledger: ['wp-welcome'], halts: [], halt: null });
    expect(await store.isProcessed(c, 'evt-1')).toBe(true);
    expect(await store.timersOf(c)).toEqual([timer]);
    expect(await store.pendingOutbox(c)).toEqual([command]);
    expect(await store.audit(c)).toEqual([audit]);

    const second = await store.commit(batchFor(c, 'evt-2', 1, { state: 'plain', ledgerAdd: ['wp-checkin'] }));
    expect(second).toEqual({ status: 'committed', version: 2 });
    const loaded = await store.load(c);
    expect(loaded).toMatchObject({ version: 2, state: 'plain', ledger: ['wp-checkin', 'wp-welcome'] });
  });

  test('a duplicate event id answers duplicate and writes nothing', async ({ redis, namespace }) => {
    const store = createStore({ redis: redis.redis, namespace });
    await store.commit(batchFor('c', 'evt-1', 0, { ledgerAdd: ['a'], outbox: [commandFor('c', 'cmd-1')] }));
    const before = await snapshot(redis.redis, redis.prefix);
    // a retry after a lost reply carries the old version; one that reloaded carries the new one
    for (const expectedVersion of [0, 1]) {
      const retry = batchFor('c', 'evt-1', expectedVersion, {
        state: 'other',
        ledgerAdd: ['b'],
        timersAdd: [timerFor('c', 't', 5)],
        outbox: [commandFor('c', 'cmd-2')],
        audit: [auditFor('c', 'again')],
      });
      expect(await store.commit(retry)).toEqual({ status: 'duplicate' });
    }
    expect(await snapshot(redis.redis, redis.prefix)).toEqual(before);
  });

  test('a stale version answers conflict with the stored version and writes nothing', async ({
    redis,
    namespace,
  }) => {
    const store = createStore({ redis: redis.redis, namespace });
    await store.commit(batchFor('c', 'evt-1', 0));
    await store.commit(batchFor('c', 'evt-2', 1));
    const before = await snapshot(redis.redis, redis.prefix);
    for (const expectedVersion of [0, 1, 3]) {
      const stale = batchFor('c', 'evt-3', expectedVersion, {
        ledgerAdd: ['a'],
        timersAdd: [timerFor('c', 't', 5)],
        outbox: [commandFor('c', 'cmd-1')],
        audit: [auditFor('c', 'x')],
      });
      expect(await store.commit(stale)).toEqual({ status: 'conflict', version: 2, reason: 'version' });
    }
    expect(await snapshot(redis.redis, redis.prefix)).toEqual(before);
    expect(await store.isProcessed('c', 'evt-3')).toBe(false);
  });

  test('a template already sent is refused, with the template, and nothing is written', async ({
    redis,
    namespace,
  }) => {
    const store = createStore({ redis: redis.redis, namespace });
    await store.commit(batchFor('c', 'evt-1', 0, { ledgerAdd: ['wp-welcome'] }));
    const before = await snapshot(redis.redis, redis.prefix);
    const again = batchFor('c', 'evt-2', 1, {
      ledgerAdd: ['wp-checkin', 'wp-welcome'],
      outbox: [commandFor('c', 'cmd-2', 'wp-welcome')],
      timersAdd: [timerFor('c', 't', 5)],
      audit: [auditFor('c', 'sent')],
    });
    expect(await store.commit(again)).toEqual({ status: 'ledger_violation', template: 'wp-welcome' });
    // one template twice in one commit is the same violation
    const twice = batchFor('c', 'evt-2', 1, { ledgerAdd: ['wp-case-study', 'wp-case-study'] });
    expect(await store.commit(twice)).toEqual({ status: 'ledger_violation', template: 'wp-case-study' });
    expect(await snapshot(redis.redis, redis.prefix)).toEqual(before);
    expect((await store.load('c')).ledger).toEqual(['wp-welcome']);
  });

  test('a halt marked after load makes a commit that checks halts a conflict', async ({
    redis,
    namespace,
  }) => {
    const store = createStore({ redis: redis.redis, namespace });
    const loaded = await store.load('c');
    await store.markHalted('c', { eventId: 'evt-reply', type: 'email.replied', at: 1, journeys: ['j'] });
    const batch = batchFor('c', 'evt-1', loaded.version, {
      ledgerAdd: ['a'],
      haltsSeen: loaded.halts.length,
    });
    expect(await store.commit(batch)).toEqual({ status: 'conflict', version: 0, reason: 'halts' });
    const reloaded = await store.load('c');
    expect(reloaded.halts).toHaveLength(1);
    const retried = { ...batch, haltsSeen: reloaded.halts.length };
    expect(await store.commit(retried)).toEqual({ status: 'committed', version: 1 });
  });

  test('20 racing commits with one expected version: exactly one commits', async ({ redis, namespace }) => {
    const store = createStore({ redis: redis.redis, namespace });
    await store.commit(batchFor('c', 'evt-0', 0));
    // four connections, as four orchestrator instances in a rebalance would have
    const clients = Array.from({ length: 4 }, () => redis.redis.duplicate());
    const stores = clients.map((client) => createStore({ redis: client, namespace }));
    const racers = Array.from({ length: 20 }, (_, i) =>
      stores[i % 4]!.commit(batchFor('c', `evt-${i + 1}`, 1, { state: i, ledgerAdd: ['wp-checkin'] })),
    );
    const results = await Promise.all(racers).finally(() => clients.forEach((c) => c.disconnect()));
    const committed = results.filter((r) => r.status === 'committed');
    expect(committed).toEqual([{ status: 'committed', version: 2 }]);
    expect(results.filter((r) => r.status === 'conflict')).toHaveLength(19);
    const winner = results.findIndex((r) => r.status === 'committed');
    expect(await store.load('c')).toMatchObject({ version: 2, state: winner, ledger: ['wp-checkin'] });

    // the same event delivered 20 times at once (a rebalance): one commit, the rest are duplicates
    const copies = await Promise.all(
      Array.from({ length: 20 }, () => store.commit(batchFor('c', 'evt-again', 2))),
    );
    expect(copies.filter((r) => r.status === 'committed')).toHaveLength(1);
    expect(copies.filter((r) => r.status === 'duplicate')).toHaveLength(19);
  });

  test('keeps the newest processed ids: an id older than that is applied again', async ({
    redis,
    namespace,
  }) => {
    const store = createStore({ redis: redis.redis, namespace, processedIdsKept: 3 });
    for (let i = 1; i <= 5; i++) await store.commit(batchFor('c', `evt-${i}`, i - 1));
    const seen = await Promise.all([1, 2, 3, 4, 5].map((i) => store.isProcessed('c', `evt-${i}`)));
    expect(seen).toEqual([false, false, true, true, true]);
    expect(await store.commit(batchFor('c', 'evt-4', 5))).toEqual({ status: 'duplicate' });
    // the documented limit: a duplicate older than the window is a new event to the store
    expect(await store.commit(batchFor('c', 'evt-1', 5))).toEqual({ status: 'committed', version: 6 });
  });

  test('customer ids with braces, separators and any Unicode stay apart', async ({ redis, namespace }) => {
    const store = createStore({ redis: redis.redis, namespace });
    const ids = ['a{b}', 'a%7Bb%7D', 'a:state', 'a', 'x|y', 'ünï 😀', '{s1}'];
    for (const id of ids) await store.commit(batchFor(id, 'evt-1', 0, { state: id, ledgerAdd: [id] }));
    for (const id of ids) expect(await store.load(id)).toMatchObject({ version: 1, state: id, ledger: [id] });
  });

  test('refuses an invalid batch before it reaches Redis', async ({ redis, namespace }) => {
    const store = createStore({ redis: redis.redis, namespace });
    const bad = batchFor('c', 'evt-1', 0, { timersAdd: [timerFor('someone-else', 't', 1)] });
    await expect(store.commit(bad)).rejects.toThrow(/timersAdd\[0\]\.customerId/);
    expect(await snapshot(redis.redis, redis.prefix)).toEqual({});
  });

  test('refuses to work on a namespace created with another shard count', async ({ redis, namespace }) => {
    const first = createStore({ redis: redis.redis, namespace, shards: 64 });
    await first.commit(batchFor('c', 'evt-1', 0));
    const second = createStore({ redis: redis.redis, namespace, shards: 32 });
    const error = await second.load('c').then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(TactfulError);
    expect((error as TactfulError).code).toBe('config.invalid');
    await expect(second.commit(batchFor('c', 'evt-2', 1))).rejects.toThrow(/shard count cannot change/);
  });
});
