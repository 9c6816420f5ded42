import { describe, expect } from 'vitest';
import { emptyCustomerState } from '@tactful/engine';
import {
  TactfulError,
  topicsFor,
  type AuditRecord,
  type EmailSendCommand,
  type HaltMark,
  type TactfulEvent,
} from '@tactful/events';
import { isTransientError } from '@tactful/kafka';
import { createLogger } from '@tactful/observability';
import { commitFrom, createRedisClient, createStore } from '@tactful/store-redis';
import { test } from '@tactful/testing';
import { contextFor, eventMaker } from './test-kit';
import type { ApplyContext } from './customer-apply';
import { applySubBatch, type SubBatchDeps } from './sub-batch';

// What a sub-batch does with what the store answers, on the real Redis: a Redis that goes away is an
// error the consumer retries (the batch is read again), never an event dead-lettered or applied twice; a
// commit that lost a race to the halt sentinel is recomputed; the ledger, not the stored state's copy,
// says which templates a person had; and a mark of an event already applied neither halts anything
// again nor stays behind.

const logger = createLogger({ level: 'silent', name: 'test' });

const eventOf = eventMaker('store', 'test/sub-batch-store');

const form = (customer: string) =>
  eventOf('form.submitted', customer, { formId: 'whitepaper-2026', email: `${customer}@example.com` });

const positioned = (events: TactfulEvent[], first = 0) =>
  events.map((event, i) => ({ event, position: { partition: 0, offset: String(first + i) } }));

function commandsOf(messages: { topic: string; value: string }[], namespace: string): EmailSendCommand[] {
  const { commands } = topicsFor(namespace);
  return messages.filter((m) => m.topic === commands).map((m) => JSON.parse(m.value) as EmailSendCommand);
}

function auditOf(messages: { topic: string; value: string }[], namespace: string): AuditRecord[] {
  const { audit } = topicsFor(namespace);
  return messages.filter((m) => m.topic === audit).map((m) => JSON.parse(m.value) as AuditRecord);
}

/** Deps that fail the test if anything is dead-lettered: every case here is the store's, not an event's. */
function depsOf(store: SubBatchDeps['store'], ctx: ApplyContext): SubBatchDeps {
  return {
    store,
    logger,
    context: () => ctx,
    deadLetter: (index, error) => {
      throw new Error(`event ${index} dead-lettered: ${String(error)}`);
    },
  };
}

describe('applySubBatch and the store: retries', () => {
  test('the connection to Redis lost between the load and the commit: a retriable error, nothing written, and the batch read again is applied once', async ({
    redis,
    namespace,
  }) => {
    // a client of its own, so its connection can be closed under the store as a Redis restart closes it
    const client = createRedisClient(redis.url);
    try {
      const store = createStore({ redis: client, namespace });
      const ctx = await contextFor(namespace, store);
      let cut = false;
      const flaky: SubBatchDeps['store'] = {
        loadMany: async (ids) => {
          const loaded = await store.loadMany(ids);
          if (!cut) client.disconnect();
          cut = true;
          return loaded;
        },
        commitMany: (commits, prefix) => store.commitMany(commits, prefix),
      };
      const events = positioned([form('ann')]);
      const error = await applySubBatch(depsOf(flaky, ctx), events, 'p0').then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(TactfulError);
      expect(isTransientError(error)).toBe(true);
      const direct = createStore({ redis: redis.redis, namespace });
      expect((await direct.load('ann')).version).toBe(0);
      expect(await direct.pendingOutbox()).toEqual([]);

      // what the consumer does with a retriable error: the same events again, once Redis answers
      await client.connect();
      const again = await applySubBatch(depsOf(flaky, ctx), events, 'p0');
      expect(again.outcomes).toEqual(['applied']);
      expect(commandsOf(again.messages, namespace).map((c) => c.template)).toEqual(['wp-welcome']);
      const third = await applySubBatch(depsOf(flaky, ctx), events, 'p0');
      expect(third.outcomes).toEqual(['duplicate']);
      expect(third.messages).toEqual([]);
    } finally {
      client.disconnect();
    }
  });

  test('a halt marked between the load and the commit: the commit loses the race and is recomputed under the mark', async ({
    redis,
    namespace,
  }) => {
    const store = createStore({ redis: redis.redis, namespace });
    const ctx = await contextFor(namespace, store);
    const reply: HaltMark = { eventId: 'evt-store-reply', type: 'email.replied', at: Date.now() };
    let loads = 0;
    const racing: SubBatchDeps['store'] = {
      loadMany: async (ids) => {
        const loaded = await store.loadMany(ids);
        // the sentinel marks a reply of bob's right after the first load
        if ((loads += 1) === 1) expect(await store.markHalted('bob', reply)).toBe(true);
        return loaded;
      },
      commitMany: (commits, prefix) => store.commitMany(commits, prefix),
    };
    const result = await applySubBatch(depsOf(racing, ctx), positioned([form('bob')]), 'p0');
    expect(loads).toBe(2);
    expect(result.outcomes).toEqual(['applied']);
    expect(commandsOf(result.messages, namespace)).toEqual([]);
    expect(auditOf(result.messages, namespace)).toContainEqual(
      expect.objectContaining({ decision: 'suppressed', template: 'wp-welcome', code: 'halted' }),
    );
    // the mark stays until its own event is applied
    expect((await store.load('bob')).halts).toEqual([reply]);
  });
});

describe('applySubBatch and the store: the ledger', () => {
  test('a template in the ledger but not in the stored state is never sent again', async ({
    redis,
    namespace,
  }) => {
    const store = createStore({ redis: redis.redis, namespace });
    const ctx = await contextFor(namespace, store);
    // a record whose state lost its copy of the ledger (written by an older version, or by hand)
    const seeded = await store.commit(
      commitFrom(await store.load('cat'), { state: emptyCustomerState('cat'), ledgerAdd: ['wp-welcome'] }),
    );
    expect(seeded.status).toBe('committed');
    const loaded = await store.load('cat');
    expect(loaded.ledger).toEqual(['wp-welcome']);
    expect((loaded.state as { templatesSent: string[] }).templatesSent).toEqual([]);

    const result = await applySubBatch(depsOf(store, ctx), positioned([form('cat')]), 'p0');
    expect(result.outcomes).toEqual(['applied']);
    expect(commandsOf(result.messages, namespace)).toEqual([]);
    expect(auditOf(result.messages, namespace)).toContainEqual(
      expect.objectContaining({
        decision: 'suppressed',
        template: 'wp-welcome',
        code: 'template_already_sent',
      }),
    );
    // and the state's copy has the template again
    const after = await store.load('cat');
    expect(after.ledger).toEqual(['wp-welcome']);
    expect((after.state as { templatesSent?: string[] }).templatesSent ?? after.ledger).toEqual([
      'wp-welcome',
    ]);
  });
});

describe('applySubBatch and the store: stale halt marks', () => {
  test('a mark of an event already applied halts nothing again and is dropped by the next commit; the event is not applied twice', async ({
    redis,
    namespace,
  }) => {
    const store = createStore({ redis: redis.redis, namespace });
    const ctx = await contextFor(namespace, store);
    const optOut = eventOf('contact.opted_out', 'dan', { channel: 'all' });
    const first = positioned([optOut], 0);
    expect((await applySubBatch(depsOf(store, ctx), first, 'p0')).outcomes).toEqual(['applied']);
    // the sentinel, far behind, read the opt-out before the commit and writes its mark after it (the
    // race `markHalted` cannot close): the mark of an applied event
    const mark: HaltMark = {
      eventId: optOut.id,
      type: optOut.type,
      at: Date.parse(optOut.time),
      optOut: true,
      position: first[0]!.position,
    };
    expect(await store.markHalted('dan', mark)).toBe(false);
    const halts = store.customerKey('dan', 'x').replace(/:x$/, ':halts');
    await redis.redis.hset(halts, optOut.id, JSON.stringify(mark));
    expect(await store.getHalts('dan')).toEqual([mark]);

    // redelivered: a duplicate, and nothing of it happens again
    const redelivered = await applySubBatch(depsOf(store, ctx), first, 'p0');
    expect(redelivered.outcomes).toEqual(['duplicate']);
    expect(redelivered.messages).toEqual([]);

    // the person opts in again and asks for the white paper: the stale opt-out mark must not stop it
    const later = positioned([eventOf('contact.opted_in', 'dan', { channel: 'all' }), form('dan')], 1);
    const result = await applySubBatch(depsOf(store, ctx), later, 'p0');
    expect(result.outcomes).toEqual(['applied', 'applied']);
    expect(commandsOf(result.messages, namespace).map((c) => c.template)).toEqual(['wp-welcome']);
    expect(auditOf(result.messages, namespace).filter((a) => a.code === 'halted')).toEqual([]);
    expect(await store.getHalts('dan')).toEqual([]);
  });
});
