// Builders for the store's tests (not exported from the package): a batch with every list empty, so a
// test states only what it is about.
import type { Redis } from 'ioredis';
import type { AuditEntry, CommitBatch, OutboxCommand, Timer } from './types';

export function batchFor(
  customerId: string,
  eventId: string,
  expectedVersion: number,
  parts: Partial<CommitBatch> = {},
): CommitBatch {
  return {
    customerId,
    eventId,
    expectedVersion,
    state: { step: eventId },
    ledgerAdd: [],
    timersAdd: [],
    timersCancel: [],
    outbox: [],
    audit: [],
    ...parts,
  };
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

export function commandFor(customerId: string, id: string, template = 'wp-welcome'): OutboxCommand {
  return { id, type: 'email.send', customerId, journey: 'whitepaper-nurture', journeyVersion: 3, template };
}

export function auditFor(customerId: string, reason: string): AuditEntry {
  return { customerId, at: '2026-11-23T10:00:00Z', decision: 'sent', reason };
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
          return [key, await redis.get(key)];
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
