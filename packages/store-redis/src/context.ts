import type { Cluster, Redis } from 'ioredis';
import { TactfulError } from '@tactful/events';
import { customerKeys, shardKeys, type CustomerKeys, type ShardKeys } from './keys';
import { defineScripts, type StoreScripts } from './scripts';
import { shardOf } from './shard';
import { resolveStoreOptions, type StoreOptions } from './store-options';
import { assertCustomerId } from './validate';

/** What every part of the store works with: one bundle, built once by `createStore`. */
export interface StoreContext {
  redis: Redis | Cluster;
  namespace: string;
  shards: number;
  recentEventIds: number;
  scripts: StoreScripts;
  shardOf(customerId: string): number;
  /** The customer's keys; throws on an id that cannot name a customer. */
  customer(customerId: string): { shard: number; keys: CustomerKeys };
  /** The shard's keys; throws on a shard outside 0…shards-1. */
  shard(shard: number): ShardKeys;
}

/** Customers whose keys are remembered: a sub-batch names each customer several times (load, commit). */
const REMEMBERED = 4096;

export function createStoreContext(options: StoreOptions): StoreContext {
  const resolved = resolveStoreOptions(options);
  const { namespace, shards } = resolved;
  // a SHA-1 and a few strings per call otherwise; dropped whole when full, which is cheaper than an LRU
  let remembered = new Map<string, { shard: number; keys: CustomerKeys }>();
  return {
    ...resolved,
    scripts: defineScripts(resolved.redis),
    shardOf: (customerId) => shardOf(customerId, shards),
    customer(customerId) {
      const known = remembered.get(customerId);
      if (known !== undefined) return known;
      assertCustomerId(customerId);
      const shard = shardOf(customerId, shards);
      const found = { shard, keys: customerKeys(namespace, shard, customerId) };
      if (remembered.size >= REMEMBERED) remembered = new Map();
      remembered.set(customerId, found);
      return found;
    },
    shard(shard) {
      if (!Number.isSafeInteger(shard) || shard < 0 || shard >= shards)
        throw new TactfulError('internal', `shard ${shard} is not one of 0…${shards - 1}`);
      return shardKeys(namespace, shard);
    },
  };
}
