import type { Cluster, Redis } from 'ioredis';
import { TactfulError, topicsFor } from '@tactful/events';
import { emptyAppliedLog, withApplied } from './applied-log';
import { encodeOutbox } from './commit-call';
import { parseJson } from './json';
import { customerBase, layoutKey, shardKeys, timerMember } from './keys';
import { LAYOUT_VERSION, readLayout, type Layout } from './layout';
import { encodeRecord } from './record-codec';
import { redisCall } from './redis-errors';
import { STORE_DEFAULTS } from './store-options';
import type { OutboxMessage, Timer } from './types';

// `tactful store migrate`: layout 1 (a hash, a sorted set, a set, two lists and two hashes per
// customer) to layout 2 (one record per customer). README.md, "Migrating from layout 1".

/** The kinds of a layout 1 customer's keys that layout 2 no longer has (`halts` is kept as it is). */
const OLD_KINDS = ['state', 'events', 'ledger', 'outbox', 'outbox-order', 'audit', 'timers'] as const;

/** The outbox field prefix of messages moved from a layout 1 outbox; the orchestrator relays them at start. */
export const MIGRATED_OUTBOX_PREFIX = 'm';

export interface MigrateOptions {
  readonly redis: Redis | Cluster;
  readonly namespace: string;
  readonly recentEventIds?: number;
  /** Called after every customer moved, with the running count. */
  readonly onProgress?: (progress: { customers: number }) => void;
}

export interface MigrateSummary {
  readonly namespace: string;
  /** The layout found: null when the namespace holds nothing. */
  readonly from: number | null;
  readonly to: number;
  readonly shards: number | null;
  /** Customers moved by this run (a re-run after a crash counts only those left). */
  readonly customers: number;
  readonly timers: number;
  /** Messages found committed but not relayed, moved to the new outbox (relayed at the next start). */
  readonly outboxMessages: number;
  /** Keys of layout 1 deleted that belonged to no customer state (audit lists, empty sets). */
  readonly leftoverKeys: number;
}

function nodesOf(redis: Redis | Cluster): Redis[] {
  return redis.isCluster ? (redis as Cluster).nodes('master') : [redis as Redis];
}

async function* scanKeys(redis: Redis | Cluster, pattern: string): AsyncGenerator<string> {
  for (const node of nodesOf(redis)) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      yield* keys;
      cursor = next;
    } while (cursor !== '0');
  }
}

/** Pure. The shard and customer id of a layout 1 key `N:{s17}:c:<encoded id>:<kind>`. */
export function parseOldKey(
  namespace: string,
  key: string,
  kind: string,
): { shard: number; customerId: string } | null {
  const match = /^\{s(\d+)\}:c:(.*)$/s.exec(key.slice(namespace.length + 1));
  if (!key.startsWith(`${namespace}:`) || !match || !match[2]!.endsWith(`:${kind}`)) return null;
  const encoded = match[2]!.slice(0, -kind.length - 1);
  return {
    shard: Number(match[1]),
    customerId: encoded.replace(/%([0-9A-F]{2})/g, (_, hex: string) =>
      String.fromCharCode(parseInt(hex, 16)),
    ),
  };
}

interface Moved {
  timers: number;
  outbox: number;
}

async function moveCustomer(
  options: MigrateOptions,
  shard: number,
  customerId: string,
  window: number,
): Promise<Moved | null> {
  const { redis, namespace } = options;
  const base = customerBase(namespace, shard, customerId);
  const old = Object.fromEntries(OLD_KINDS.map((kind) => [kind, `${base}:${kind}`])) as Record<
    (typeof OLD_KINDS)[number],
    string
  >;
  const what = `migrating customer ${customerId}`;
  const read = await redisCall(what, () =>
    redis
      .multi()
      .hmget(old.state, 'v', 's')
      .smembers(old.ledger)
      .hvals(old.timers)
      .zrange(old.events, 0, -1, 'WITHSCORES')
      .lrange(old['outbox-order'], 0, -1)
      .hgetall(old.outbox)
      .exec(),
  );
  const at = <T>(i: number): T => {
    const [err, value] = read?.[i] ?? [new Error('discarded'), null];
    if (err) throw new TactfulError('internal', `${what}: ${err.message}`, { cause: err });
    return value as T;
  };
  const [v, s] = at<(string | null)[]>(0);
  if (v == null || s == null) return null; // moved already (a re-run), or never committed
  const timers = at<string[]>(2).map((t) => parseJson<Timer>(t, `a timer of ${customerId}`));
  // the newest ids, by the version that processed them, become the recent window
  const scored = at<string[]>(3);
  const ids: { id: string; version: number }[] = [];
  for (let i = 0; i + 1 < scored.length; i += 2) ids.push({ id: scored[i]!, version: Number(scored[i + 1]) });
  let applied = emptyAppliedLog();
  for (const { id } of ids.sort((a, b) => a.version - b.version).slice(-window))
    applied = withApplied(applied, id, undefined, window);
  const outboxJson = at<Record<string, string>>(5);
  const topics = topicsFor(namespace);
  const messages: OutboxMessage[] = at<string[]>(4).flatMap((id) => {
    const json = outboxJson[id];
    if (json === undefined) return [];
    const entry = parseJson<{ topic?: string; value?: unknown }>(json, `an outbox entry of ${customerId}`);
    const topic = entry.topic === 'audit' ? topics.audit : topics.commands;
    // a layout 1 entry is `{ id, topic, value }` (the orchestrator's); anything else was a bare command
    const value = entry.topic === 'audit' || entry.topic === 'commands' ? entry.value : entry;
    return [{ id, topic, key: customerId, value: JSON.stringify(value) }];
  });
  const record = encodeRecord(
    Number(v),
    {
      state: parseJson(s, `the state of ${customerId}`),
      ledger: at<string[]>(1).sort(),
      timers,
      applied,
    },
    customerId,
  );
  const index = shardKeys(namespace, shard).timers;
  const tx = redis
    .multi()
    .set(`${base}:r`, record)
    .del(...Object.values(old));
  for (const t of timers)
    tx.zrem(index, JSON.stringify([customerId, t.id])).zadd(index, t.dueAt, timerMember(customerId, t.id));
  if (messages.length > 0)
    tx.hset(
      shardKeys(namespace, shard).outbox,
      `${MIGRATED_OUTBOX_PREFIX}:${customerId}`,
      encodeOutbox(messages),
    );
  const written = await redisCall(what, () => tx.exec());
  for (const [err] of written ?? [])
    if (err) throw new TactfulError('internal', `${what}: ${err.message}`, { cause: err });
  return { timers: timers.length, outbox: messages.length };
}

/**
 * Moves a namespace of layout 1 to the current layout, customer by customer, each in one MULTI (its
 * record written and its old keys deleted together), the layout record last. Idempotent: a customer
 * already moved has no old state key, so a run after a crash moves only the rest. The services must be
 * stopped meanwhile (they refuse to start on layout 1 anyway).
 */
export async function migrateNamespace(options: MigrateOptions): Promise<MigrateSummary> {
  const { redis, namespace } = options;
  const window = options.recentEventIds ?? STORE_DEFAULTS.recentEventIds;
  const found: Layout | null = await readLayout({ redis, namespace });
  const summary = {
    namespace,
    from: found?.layout ?? null,
    to: LAYOUT_VERSION,
    shards: found?.shards ?? null,
  };
  if (found === null || found.layout === LAYOUT_VERSION)
    return { ...summary, customers: 0, timers: 0, outboxMessages: 0, leftoverKeys: 0 };
  if (found.layout !== 1)
    throw new TactfulError(
      'config.invalid',
      `namespace ${namespace} has layout ${found.layout}, which this version cannot migrate`,
    );
  let customers = 0;
  let timers = 0;
  let outboxMessages = 0;
  for await (const key of scanKeys(redis, `${namespace}:{s*}:c:*:state`)) {
    const parsed = parseOldKey(namespace, key, 'state');
    if (parsed === null) continue;
    const moved = await moveCustomer(options, parsed.shard, parsed.customerId, window);
    if (moved === null) continue;
    customers += 1;
    timers += moved.timers;
    outboxMessages += moved.outbox;
    options.onProgress?.({ customers });
  }
  // keys of layout 1 without a state: audit lists of customers the orchestrator never saw, and the like
  let leftoverKeys = 0;
  for (const kind of OLD_KINDS.filter((k) => k !== 'state'))
    for await (const key of scanKeys(redis, `${namespace}:{s*}:c:*:${kind}`))
      if (parseOldKey(namespace, key, kind) !== null) leftoverKeys += await redis.del(key);
  for await (const key of scanKeys(redis, `${namespace}:{s*}:outbox-pending`))
    leftoverKeys += await redis.del(key);
  await redisCall('recording the new layout', () =>
    redis.set(layoutKey(namespace), JSON.stringify({ layout: LAYOUT_VERSION, shards: found.shards })),
  );
  return { ...summary, customers, timers, outboxMessages, leftoverKeys };
}
