// The key layout (README.md, "Key layout"). Every key carries the shard as its hash tag, so the keys of
// one customer and the timer index, outbox and counters of that customer's shard all live in one
// Redis Cluster slot, and one commit script may touch all of them.

export interface CustomerKeys {
  /** String: the customer record (record-codec.ts): version, state, ledger, timers, applied events. */
  record: string;
  /** Hash: halting event id → halt mark JSON, written by the halt sentinel. */
  halts: string;
}

/** The delivery records of one customer, kept for the dispatcher (delivery-records.ts). */
export interface DeliveryKeys {
  /** Hash: command id → delivery record JSON. */
  deliveries: string;
  /** Hash: template → the command that delivered (or is delivering) it. */
  templates: string;
  /** Sorted set: command id → delivery time (epoch ms). */
  times: string;
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

/**
 * Pure. The delivery keys of one customer, in the customer's slot so one script changes them together.
 * Their names predate this function (they were built by the dispatcher) and stored data depends on them.
 */
export function deliveryKeys(namespace: string, shard: number, customerId: string): DeliveryKeys {
  const base = customerBase(namespace, shard, customerId);
  return {
    deliveries: `${base}:deliveries`,
    templates: `${base}:delivered-templates`,
    times: `${base}:delivery-times`,
  };
}

/** Pure. Where a reply to one command is routed: outside every slot, as a reply names only the command. */
export function replyRouteKey(namespace: string, commandId: string): string {
  return `${namespace}:reply:${commandId}`;
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

const ENGINE_TIMER_ID = /^tmr-([0-9a-f]{32})$/;

/**
 * Pure. A timer's member in its shard's index, as short as it can be (there is one per pending timer):
 * an engine timer id (`tmr-` and 32 hex digits) is a 0x01 byte and its 16 bytes, any other timer id is
 * a 0x02 byte, its UTF-8 and a NUL (timer ids never hold a NUL: `commitProblems` refuses one); the
 * customer id (UTF-8) follows. Only ever built and parsed here, never in Lua.
 */
export function timerMember(customerId: string, timerId: string): Buffer {
  const engine = ENGINE_TIMER_ID.exec(timerId);
  if (engine)
    return Buffer.concat([Buffer.of(1), Buffer.from(engine[1]!, 'hex'), Buffer.from(customerId, 'utf8')]);
  return Buffer.concat([
    Buffer.of(2),
    Buffer.from(timerId, 'utf8'),
    Buffer.of(0),
    Buffer.from(customerId, 'utf8'),
  ]);
}

/** Pure. The inverse of `timerMember`; null for a member this layout did not write. */
export function parseTimerMember(member: Buffer): { customerId: string; timerId: string } | null {
  if (member[0] === 1 && member.length > 17)
    return {
      timerId: `tmr-${member.subarray(1, 17).toString('hex')}`,
      customerId: member.subarray(17).toString('utf8'),
    };
  if (member[0] !== 2) return null;
  const nul = member.indexOf(0, 1);
  if (nul <= 1 || nul === member.length - 1) return null;
  return {
    timerId: member.subarray(1, nul).toString('utf8'),
    customerId: member.subarray(nul + 1).toString('utf8'),
  };
}
