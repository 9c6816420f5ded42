import type { Cluster, Redis } from 'ioredis';
import { TactfulError } from '@tactful/events';

export interface StoreOptions {
  /** A connected client: a single Redis, or a Cluster (every commit stays in one slot). */
  redis: Redis | Cluster;
  /** `TACTFUL_NAMESPACE`: the start of every key. */
  namespace: string;
  /** How many shards customers are spread over; fixed for the life of a namespace. Default 64. */
  shards?: number;
  /**
   * Hashes of the newest event ids kept per customer, against an event written again at a new offset
   * (README.md, "Duplicates"). Default 4.
   */
  recentEventIds?: number;
}

export interface ResolvedStoreOptions {
  redis: Redis | Cluster;
  namespace: string;
  shards: number;
  recentEventIds: number;
}

export const STORE_DEFAULTS = { shards: 64, recentEventIds: 4 } as const;

// The namespace also names Kafka topics, so it keeps to Kafka's topic alphabet; in a key it must not
// hold a brace, which would become the hash tag instead of the shard.
const NAMESPACE = /^[A-Za-z0-9._-]{1,100}$/;

function positiveInt(value: number, max: number): boolean {
  return Number.isSafeInteger(value) && value >= 1 && value <= max;
}

/** Pure. Fills defaults and refuses, with every problem listed, options the store cannot work with. */
export function resolveStoreOptions(options: StoreOptions): ResolvedStoreOptions {
  const resolved: ResolvedStoreOptions = {
    redis: options.redis,
    namespace: options.namespace,
    shards: options.shards ?? STORE_DEFAULTS.shards,
    recentEventIds: options.recentEventIds ?? STORE_DEFAULTS.recentEventIds,
  };
  const problems: string[] = [];
  if (!NAMESPACE.test(resolved.namespace))
    problems.push('namespace must be 1 to 100 characters of A-Z a-z 0-9 . _ -');
  // more shards than Redis Cluster has slots cannot spread further, and only waste keys
  if (!positiveInt(resolved.shards, 16_384)) problems.push('shards must be an integer from 1 to 16384');
  if (!positiveInt(resolved.recentEventIds, 1000))
    problems.push('recentEventIds must be an integer from 1 to 1000');
  if (problems.length > 0)
    throw new TactfulError(
      'config.invalid',
      `invalid store options:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  return resolved;
}
