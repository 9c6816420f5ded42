import { describe, expect } from 'vitest';
import { TactfulError } from '@tactful/events';
import { test } from '@tactful/testing';
import { commitCall } from './commit-call';
import { customerKeys } from './keys';
import { defineScripts } from './scripts';
import { createStore } from './store';
import { auditFor, batchFor, commandFor, snapshot, timerFor } from './test-support';

// A Redis script is atomic only until it fails: a write made before the failure stays. These tests
// make the commit script fail at its last possible point and check that nothing at all was written.

const KEPT = { processedIdsKept: 10_000, auditKept: 500 };

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (err: unknown) => err,
  );
}

describe('commit atomicity', () => {
  test('a malformed last argument fails the script before its first write', async ({ redis, namespace }) => {
    const store = createStore({ redis: redis.redis, namespace, shards: 8 });
    await store.commit(batchFor('c', 'evt-1', 0, { ledgerAdd: ['wp-welcome'] }));
    const before = await snapshot(redis.redis, redis.prefix);

    // everything valid except the due time of the last timer, which only the script sees
    const batch = batchFor('c', 'evt-2', 1, {
      state: { changed: true },
      ledgerAdd: ['wp-checkin'],
      timersCancel: ['t-0'],
      timersAdd: [timerFor('c', 't-1', 1000), timerFor('c', 't-2', 2000)],
      outbox: [commandFor('c', 'cmd-2')],
      audit: [auditFor('c', 'sent')],
    });
    const { keys, args } = commitCall(namespace, store.shardOf('c'), batch, KEPT);
    const due = args.lastIndexOf('2000');
    args[due] = 'soon';
    const scripts = defineScripts(redis.redis);
    const error = await rejection(scripts.commit(...keys, ...args));
    expect(String(error)).toMatch(/TACTFUL_INVALID timer t-2 has no numeric due time/);

    expect(await snapshot(redis.redis, redis.prefix)).toEqual(before);
    expect(await store.isProcessed('c', 'evt-2')).toBe(false);
  });

  test('a counter delta that is not an integer fails the script before its first write', async ({
    redis,
    namespace,
  }) => {
    const store = createStore({ redis: redis.redis, namespace, shards: 8 });
    await store.commit(batchFor('c', 'evt-1', 0, { counters: { entered: 1 } }));
    const before = await snapshot(redis.redis, redis.prefix);
    // the counters are the script's last group and its last writes
    const batch = batchFor('c', 'evt-2', 1, {
      ledgerAdd: ['wp-checkin'],
      audit: [auditFor('c', 'sent')],
      counters: { entered: 1, welcome: 1 },
    });
    const { keys, args } = commitCall(namespace, store.shardOf('c'), batch, KEPT);
    args[args.length - 1] = '1.5';
    const error = await rejection(defineScripts(redis.redis).commit(...keys, ...args));
    expect(String(error)).toMatch(/TACTFUL_INVALID counter welcome has no integer delta/);
    expect(await snapshot(redis.redis, redis.prefix)).toEqual(before);
  });

  test('a miscounted call is refused before any write', async ({ redis, namespace }) => {
    const store = createStore({ redis: redis.redis, namespace, shards: 8 });
    await store.commit(batchFor('c', 'evt-1', 0));
    const before = await snapshot(redis.redis, redis.prefix);
    const { keys, args } = commitCall(namespace, store.shardOf('c'), batchFor('c', 'evt-2', 1), KEPT);
    const scripts = defineScripts(redis.redis);
    expect(String(await rejection(scripts.commit(...keys, ...args, 'extra')))).toMatch(/TACTFUL_INVALID/);
    expect(String(await rejection(scripts.commit(...keys, ...args.slice(0, -1))))).toMatch(/TACTFUL_INVALID/);
    expect(await snapshot(redis.redis, redis.prefix)).toEqual(before);
  });

  test('a damaged key (wrong type) fails the commit before anything else is written', async ({
    redis,
    namespace,
  }) => {
    const store = createStore({ redis: redis.redis, namespace, shards: 8 });
    await store.commit(batchFor('c', 'evt-1', 0));
    const keys = customerKeys(namespace, store.shardOf('c'), 'c');
    // the audit list is written last by the script: without the type check, every other write would stay
    await redis.redis.set(keys.audit, 'not a list');
    const before = await snapshot(redis.redis, redis.prefix);
    const batch = batchFor('c', 'evt-2', 1, {
      ledgerAdd: ['wp-checkin'],
      timersAdd: [timerFor('c', 't-1', 1000)],
      outbox: [commandFor('c', 'cmd-2')],
      audit: [auditFor('c', 'sent')],
    });
    const error = await rejection(store.commit(batch));
    expect(error).toBeInstanceOf(TactfulError);
    expect((error as TactfulError).code).toBe('internal');
    expect((error as TactfulError).retriable).toBe(false);
    expect((error as TactfulError).message).toMatch(/is a string, expected a list/);
    expect(await snapshot(redis.redis, redis.prefix)).toEqual(before);
  });
});
