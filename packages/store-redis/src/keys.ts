// The key layout (README.md, "Key layout"). Every key carries the shard as its hash tag, so the keys of
// one customer and the timer index, outbox and counters of that customer's shard all live in one
// Redis Cluster slot, and one commit script may touch all of them.

export interface CustomerKeys {
  /** String: the customer record (record-codec.ts): version, state, ledger, timers, applied events. */
  record: string;
  /** Hash: halting event id → halt mark JSON, written by the halt sentinel. */
  halts: string;
}

export interface ShardKeys {
  /** Sorted set: due time → timer member (see `timerMember`). */
  timers: string;
  /** Hash: outbox field → the messages of one commit not yet relayed (see outbox-store.ts). */
  outbox: string;
  /** Hash: counter name → this shard's share of the count (see `counters()`). */
  counters: string;
}

/** Pure. The common start of every key of one shard: `N:{s17}`. */
export function shardPrefix(namespace: string, shard: number): string {
  return `${namespace}:{s${shard}}`;
}

/**
 * Pure. The customer id as it appears inside a key. Redis takes the hash tag from the first `{…}`, which
 * is always the shard's, so an id cannot move a key to another slot; braces are still encoded so that a
 * key holds exactly one brace pair for every tool and reader that looks for the tag, and `%` is encoded
 * so the mapping stays one-to-one. Everything else (including `:`) is kept for readable keys: the part
 * after the last `:` is always the key's kind, which never contains one, so keys cannot collide.
 */
export function encodeCustomerId(customerId: string): string {
  return customerId.replace(/[%{}]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Pure. The common start of every key of one customer: `N:{s17}:c:<id>`; a kind follows. */
export function customerBase(namespace: string, shard: number, customerId: string): string {
  return `${shardPrefix(namespace, shard)}:c:${encodeCustomerId(customerId)}`;
}

/** Pure. The keys of one customer, in the customer's shard. */
export function customerKeys(namespace: string, shard: number, customerId: string): CustomerKeys {
  const base = customerBase(namespace, shard, customerId);
  return { record: `${base}:r`, halts: `${base}:halts` };
}

/** Pure. The shard-wide keys. */
export function shardKeys(namespace: string, shard: number): ShardKeys {
  const base = shardPrefix(namespace, shard);
  return { timers: `${base}:timers`, outbox: `${base}:outbox`, counters: `${base}:counters` };
}

/** Pure. The key that records the layout (shard count) a namespace was created with. */
export function layoutKey(namespace: string): string {
  return `${namespace}:layout`;
}

/**
 * Pure. A timer's member in its shard's index: the timer id, a NUL, the customer id (UTF-8). Timer ids
 * never hold a NUL (`batchProblems` refuses one), so the first NUL splits the two whatever the customer
 * id holds; a member is only ever built and parsed here, never in Lua.
 */
export function timerMember(customerId: string, timerId: string): Buffer {
  return Buffer.from(`${timerId}\u0000${customerId}`, 'utf8');
}

/** Pure. The inverse of `timerMember`; null for a member this layout did not write. */
export function parseTimerMember(member: Buffer): { customerId: string; timerId: string } | null {
  const nul = member.indexOf(0);
  if (nul <= 0 || nul === member.length - 1) return null;
  return {
    timerId: member.subarray(0, nul).toString('utf8'),
    customerId: member.subarray(nul + 1).toString('utf8'),
  };
}
