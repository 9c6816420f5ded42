// The key layout (README.md, "Key layout"). Every key carries the shard as its hash tag, so the keys of
// one customer and the timer index and outbox-pending set of that customer's shard all live in one
// Redis Cluster slot, and one commit script may touch all of them.

export interface CustomerKeys {
  /** Hash: `v` = version, `s` = state JSON. */
  state: string;
  /** Sorted set: processed event id → the version that processed it. */
  events: string;
  /** Set: templates ever sent to the customer. */
  ledger: string;
  /** Hash: command id → command JSON. */
  outbox: string;
  /** List: pending command ids, oldest first (the hash alone has no order). */
  outboxOrder: string;
  /** List: audit record JSON, newest last, capped. */
  audit: string;
  /** Hash: timer id → timer JSON. */
  timers: string;
  /** Hash: halting event id → halt mark JSON. */
  halts: string;
}

export interface ShardKeys {
  /** Sorted set: due time → timer member (see `timerMember`). */
  timers: string;
  /** Set: customer ids whose outbox is not empty. */
  outboxPending: string;
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

/** Pure. The keys of one customer, in the customer's shard. */
export function customerKeys(namespace: string, shard: number, customerId: string): CustomerKeys {
  const base = `${shardPrefix(namespace, shard)}:c:${encodeCustomerId(customerId)}`;
  return {
    state: `${base}:state`,
    events: `${base}:events`,
    ledger: `${base}:ledger`,
    outbox: `${base}:outbox`,
    outboxOrder: `${base}:outbox-order`,
    audit: `${base}:audit`,
    timers: `${base}:timers`,
    halts: `${base}:halts`,
  };
}

/** Pure. The shard-wide keys. */
export function shardKeys(namespace: string, shard: number): ShardKeys {
  const base = shardPrefix(namespace, shard);
  return { timers: `${base}:timers`, outboxPending: `${base}:outbox-pending`, counters: `${base}:counters` };
}

/** Pure. The key that records the layout (shard count) a namespace was created with. */
export function layoutKey(namespace: string): string {
  return `${namespace}:layout`;
}

/**
 * Pure. A timer's member in its shard's index. A JSON pair rather than `customer|timer`, because a
 * customer id may contain any separator; it is only ever built and parsed here, never in Lua.
 */
export function timerMember(customerId: string, timerId: string): string {
  return JSON.stringify([customerId, timerId]);
}

/** Pure. The inverse of `timerMember`; null for a member this layout did not write. */
export function parseTimerMember(member: string): { customerId: string; timerId: string } | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(member);
  } catch (err) {
    if (err instanceof SyntaxError) return null;
    throw err;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) return null;
  const [customerId, timerId] = parsed as unknown[];
  if (typeof customerId !== 'string' || typeof timerId !== 'string') return null;
  return { customerId, timerId };
}
