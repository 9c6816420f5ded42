import type { Cluster, Redis } from 'ioredis';
import { TactfulError } from '@tactful/events';

export interface StoreOptions {
  /** A connected client: a single Redis, or a Cluster (every commit stays in one slot). */
  redis: Redis | Cluster;
  /** `TACTFUL_NAMESPACE`: the start of every key. */
  namespace: string;
  /** How many shards customers are spread over; fixed for the life of a namespace. Default 64. */
  shards?: number;
  /** Processed event ids kept per customer (the newest). Default 10,000. */
  processedIdsKept?: number;
  /** Audit records kept per customer (the newest). Default 500. */
  auditKept?: number;
}

export interface ResolvedStoreOptions {
  redis: Redis | Cluster;
  namespace: string;
  shards: number;
  processedIdsKept: number;
  auditKept: number;
}

export const STORE_DEFAULTS = { shards: 64, processedIdsKept: 10_000, auditKept: 500 } as const;

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
    processedIdsKept: options.processedIdsKept ?? STORE_DEFAULTS.processedIdsKept,
    auditKept: options.auditKept ?? STORE_DEFAULTS.auditKept,
  };
  const problems: string[] = [];
  if (!NAMESPACE.test(resolved.namespace))
    problems.push('namespace must be 1 to 100 characters of A-Z a-z 0-9 . _ -');
  // more shards than Redis Cluster has slots cannot spread further, and only waste keys
  if (!positiveInt(resolved.shards, 16_384)) problems.push('shards must be an integer from 1 to 16384');
  if (!positiveInt(resolved.processedIdsKept, 10_000_000))
    problems.push('processedIdsKept must be a positive integer');
  if (!positiveInt(resolved.auditKept, 1_000_000)) problems.push('auditKept must be a positive integer');
  if (problems.length > 0)
    throw new TactfulError(
      'config.invalid',
      `invalid store options:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  return resolved;
}
