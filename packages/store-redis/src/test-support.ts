// Builders for the store's tests (not exported from the package): commits stated by what they change,
// so a test states only what it is about.
import type { Redis } from 'ioredis';
import { commitFrom, type CommitChanges } from './commit-builder';
import type { Store } from './store';
import type { CommitResult, OutboxMessage, Timer } from './types';

/** Loads the customer and commits `changes` on top of what was loaded. */
export async function commitNext(
  store: Store,
  customerId: string,
  eventId: string,
  changes: CommitChanges = {},
  outboxPrefix = 'test',
): Promise<CommitResult> {
  const loaded = await store.load(customerId);
  return store.commit(commitFrom(loaded, { state: { step: eventId }, ...changes, eventId }), outboxPrefix);
}

export function timerFor(customerId: string, id: string, dueAt: number, payload?: unknown): Timer {
  return {
    id,
    customerId,
    journey: 'whitepaper-nurture',
    journeyVersion: 3,
    dueAt,
    ...(payload === undefined ? {} : { payload }),
  };
}

export function messageFor(customerId: string, id: string, template = 'wp-welcome'): OutboxMessage {
  const command = {
    id,
    type: 'email.send',
    customerId,
    journey: 'whitepaper-nurture',
    journeyVersion: 3,
    template,
  };
  return { id, topic: 'ns.commands', key: customerId, value: JSON.stringify(command) };
}

/** Every key under `prefix` with its whole content: two equal snapshots mean nothing was written. */
export async function snapshot(redis: Redis, prefix: string): Promise<Record<string, unknown>> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  const entries = await Promise.all(
    keys.sort().map(async (key): Promise<[string, unknown]> => {
      const type = await redis.type(key);
      switch (type) {
        case 'string':
          return [key, (await redis.getBuffer(key))?.toString('base64')];
        case 'hash':
          return [key, await redis.hgetall(key)];
        case 'set':
          return [key, (await redis.smembers(key)).sort()];
        case 'zset':
          return [key, await redis.zrange(key, 0, -1, 'WITHSCORES')];
        case 'list':
          return [key, await redis.lrange(key, 0, -1)];
        default:
          return [key, `(${type})`];
      }
    }),
  );
  return Object.fromEntries(entries);
}
