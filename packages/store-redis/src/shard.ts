import { hash } from 'node:crypto';

/**
 * Pure. The shard of a customer: the first 4 bytes of SHA-1 of the id (UTF-8), big-endian, modulo the
 * shard count. Stable across processes, versions and languages, because the shard is part of every key
 * of the customer: changing it would lose the customer's state, ledger and timers.
 */
export function shardOf(customerId: string, shards: number): number {
  const digest = hash('sha1', customerId, 'buffer');
  return digest.readUInt32BE(0) % shards;
}
