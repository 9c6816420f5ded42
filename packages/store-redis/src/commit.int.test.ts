import { describe, expect } from 'vitest';
import { ledgerKeyOf, TactfulError } from '@tactful/events';
import { test } from '@tactful/testing';
import { commitFrom } from './commit-builder';
import { customerKeys } from './keys';
import { createStore } from './store';
import { commitNext, messageFor, snapshot, timerFor } from './test-support';

describe('commit', () => {
  test('a new customer loads as version 0 with nothing', async ({ redis, namespace }) => {
    const store = createStore({ redis: redis.redis, namespace });
    expect(await store.load('cust-new')).toMatchObject({
      customerId: 'cust-new',
      version: 0,
      state: null,
      ledger: [],
      timers: [],
      halts: [],
      halt: null,
      staleHalts: [],
      haltsSeen: 0,
    });
    expect(await store.isProcessed('cust-new', 'e-1')).toBe(false);
  });

  test('commit then load round-trips every part, in one key per customer', async ({ redis, namespace }) => {
    const store = createStore({ redis: redis.redis, namespace });
    const c = 'cust-42';
    const state = {
      customerId: c,
      journeys: { 'whitepaper-nurture': { value: 'welcome', version: 3 } },
      enteredAt: '2026-11-23T10:00:00.000Z',
      templatesSent: ['wp-welcome'],
      empty: [],
      nil: null,
    };
    const timer = timerFor(c, 't-welcome', 1_800_000_000_000, {
      delay: 'P3D',
      journey: 'whitepaper-nurture',
    });
    const message = messageFor(c, 'cmd-01');
    const result = await commitNext(store, c, 'evt-1', {
      state,
      ledgerAdd: ['wp-welcome'],
      timersAdd: [timer],
      outbox: [message],
      position: { partition: 2, offset: '41' },
    });
    expect(result).toEqual({ status: 'committed', version: 1 });
    expect(await store.load(c)).toMatchObject({ version: 1, state, ledger: ['wp-welcome'], timers: [timer] });
    expect(await store.isProcessed(c, 'evt-1')).toBe(true);
    expect(await store.isProcessed(c, 'evt-other', { partition: 2, offset: '40' })).toBe(true);
    expect(await store.isProcessed(c, 'evt-other', { partition: 2, offset: '42' })).toBe(false);
    expect(await store.timersOf(c)).toEqual([timer]);
    expect((await store.pendingOutbox('test')).flatMap((p) => p.messages)).toEqual([message]);
    const keys = await redis.redis.keys(`${namespace}:*:c:*`);
    expect(keys).toEqual([customerKeys(namespace, store.shardOf(c), c).record]);

    const second = await commitNext(store, c, 'evt-2', { state: 'plain', ledgerAdd: ['wp-checkin'] });
    expect(second).toEqual({ status: 'committed', version: 2 });
    expect(await store.load(c)).toMatchObject({
      version: 2,
      state: 'plain',
      ledger: ['wp-checkin', 'wp-welcome'],
    });
  });

  test('a commit computed from a stale load is a conflict and writes nothing', async ({
    redis,
    namespace,
  }) => {
    const store = createStore({ redis: redis.redis, namespace });
    const stale = await store.load('c');
    await commitNext(store, 'c', 'evt-1', { ledgerAdd: ['a'] });
    const before = await snapshot(redis.redis, redis.prefix);
    const result = await store.commit(
      commitFrom(stale, { eventId: 'evt-2', ledgerAdd: ['b'], outbox: [messageFor('c', 'cmd-2')] }),
    );
    expect(result).toEqual({ status: 'conflict', reason: 'version' });
    expect(await snapshot(redis.redis, redis.prefix)).toEqual(before);
  });

  test('a halt mark added since the load is a conflict (the engine must see it before sending)', async ({
    redis,
    namespace,
  }) => {
    const store = createStore({ redis: redis.redis, namespace });
    const loaded = await store.load('c');
    await store.markHalted('c', { eventId: 'evt-reply', type: 'email.replied', at: 1 });
    const result = await store.commit(commitFrom(loaded, { eventId: 'evt-1', ledgerAdd: ['a'] }));
    expect(result).toEqual({ status: 'conflict', reason: 'halts' });
    const reloaded = await store.load('c');
    expect(reloaded.halts.map((h) => h.eventId)).toEqual(['evt-reply']);
    expect((await store.commit(commitFrom(reloaded, { eventId: 'evt-1' }))).status).toBe('committed');
  });

  test('a template already in the ledger, or twice in one commit, is refused before anything is written', async ({
    redis,
    namespace,
  }) => {
    const store = createStore({ redis: redis.redis, namespace });
    await commitNext(store, 'c', 'evt-1', { ledgerAdd: ['wp-welcome'] });
    const before = await snapshot(redis.redis, redis.prefix);
    expect(await commitNext(store, 'c', 'evt-2', { ledgerAdd: ['wp-welcome'] })).toEqual({
      status: 'ledger_violation',
      template: 'wp-welcome',
    });
    expect(await commitNext(store, 'c', 'evt-3', { ledgerAdd: ['x', 'x'] })).toEqual({
      status: 'ledger_violation',
      template: 'x',
    });
    expect(await snapshot(redis.redis, redis.prefix)).toEqual(before);
  });

  test('the ledger keeps a transactional template per entry: a new entry commits, the same entry is refused', async ({
    redis,
    namespace,
  }) => {
    const store = createStore({ redis: redis.redis, namespace });
    const answer = (entry: number) =>
      ledgerKeyOf({ template: 'inquiry-answer', journey: 'contact-inquiry', class: 'transactional', entry });
    expect(await commitNext(store, 'c', 'evt-1', { ledgerAdd: [answer(1)] })).toMatchObject({
      status: 'committed',
    });
    expect(
      await commitNext(store, 'c', 'evt-2', { ledgerAdd: [answer(4), 'newsletter-2026-11'] }),
    ).toMatchObject({ status: 'committed' });
    expect((await store.load('c')).ledger).toEqual([
      'inquiry-answer#contact-inquiry/1',
      'inquiry-answer#contact-inquiry/4',
      'newsletter-2026-11',
    ]);
    const before = await snapshot(redis.redis, redis.prefix);
    expect(await commitNext(store, 'c', 'evt-3', { ledgerAdd: [answer(4)] })).toEqual({
      status: 'ledger_violation',
      template: 'inquiry-answer#contact-inquiry/4',
    });
    expect(await commitNext(store, 'c', 'evt-4', { ledgerAdd: ['newsletter-2026-11'] })).toEqual({
      status: 'ledger_violation',
      template: 'newsletter-2026-11',
    });
    expect(await snapshot(redis.redis, redis.prefix)).toEqual(before);
  });

  test('a group is all or nothing: one stale customer holds back the others, which then commit as they were', async ({
    redis,
    namespace,
  }) => {
    const store = createStore({ redis: redis.redis, namespace });
    const loaded = await store.loadMany(['a', 'b', 'c']);
    await commitNext(store, 'b', 'evt-b0');
    const before = await snapshot(redis.redis, redis.prefix);
    const commits = loaded.map((l) =>
      commitFrom(l, {
        eventId: `evt-${l.customerId}`,
        outbox: [messageFor(l.customerId, `cmd-${l.customerId}`)],
        counters: { sent: 1 },
      }),
    );
    const first = await store.commitMany(commits, 'p0');
    expect(first.results).toEqual([
      { status: 'not_written' },
      { status: 'conflict', reason: 'version' },
      { status: 'not_written' },
    ]);
    expect(first.outbox).toEqual([]);
    expect(await snapshot(redis.redis, redis.prefix)).toEqual(before);
    const again = await store.commitMany([commits[0]!, commits[2]!], 'p0');
    expect(again.results.map((r) => r.status)).toEqual(['committed', 'committed']);
    expect(await store.counters()).toEqual({ sent: 2 });
    const pending = await store.pendingOutbox('p0');
    expect(pending.flatMap((p) => p.messages.map((m) => m.id))).toEqual(['cmd-a', 'cmd-c']);
    expect(await store.ackOutbox(pending)).toBe(pending.length);
    expect(await store.pendingOutbox('p0')).toEqual([]);
  });

  test('an outbox is found by its prefix only, and acknowledging twice is harmless', async ({
    redis,
    namespace,
  }) => {
    const store = createStore({ redis: redis.redis, namespace });
    await commitNext(store, 'x', 'e1', { outbox: [messageFor('x', 'cmd-x')] }, 'p1');
    await commitNext(store, 'y', 'e2', { outbox: [messageFor('y', 'cmd-y')] }, 'p10');
    expect((await store.pendingOutbox('p1')).flatMap((p) => p.messages.map((m) => m.id))).toEqual(['cmd-x']);
    expect((await store.pendingOutbox()).length).toBe(2);
    const p1 = await store.pendingOutbox('p1');
    expect(await store.ackOutbox(p1)).toBe(1);
    expect(await store.ackOutbox(p1)).toBe(0);
  });

  test('a malformed commit is refused with every problem, before Redis', async ({ redis, namespace }) => {
    const store = createStore({ redis: redis.redis, namespace });
    const loaded = await store.load('c');
    const bad = commitFrom(loaded, {
      timersAdd: [{ ...timerFor('other', 't\u0000', -1) }],
      outbox: [{ id: '', topic: 't', key: 'someone-else', value: '{}' }],
      counters: { '': 1.5 },
    });
    const error = await store.commit(bad).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(TactfulError);
    expect((error as TactfulError).code).toBe('internal');
    for (const part of [
      'timers[0].id',
      'customerId must be',
      'dueAt',
      'outbox[0].id',
      'outbox[0].key',
      'empty name',
    ])
      expect((error as TactfulError).message).toContain(part);
    expect(await redis.redis.keys(`${redis.prefix}*:c:*`)).toEqual([]);
  });
});
