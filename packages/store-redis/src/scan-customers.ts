import type { Cluster, Redis } from 'ioredis';
import { TactfulError } from '@tactful/events';
import { customerKeys, shardKeys } from './keys';
import { LAYOUT_VERSION, olderLayoutError, readLayout, type Layout } from './layout';
import { decodeRecord } from './record-codec';
import { redisCall, storeError } from './redis-errors';
import { shardOf } from './shard';
import type { Timer } from './types';

// Reads over every customer of a namespace, for tools (`tactful journeys status`, `impact`, `validate`):
// read-only (not even the layout record is written, so a namespace never used stays empty), and gentle
// with a Redis that serves the services meanwhile: SCAN with a COUNT, never KEYS, and one pipelined read
// per SCAN page.

export interface ReadOnlyOptions {
  readonly redis: Redis | Cluster;
  readonly namespace: string;
}

export interface ScanOptions extends ReadOnlyOptions {
  /** The COUNT of each SCAN call: about how many keys one call looks at (default 1000). */
  readonly count?: number;
  /** Called after every page read, with the running number of customers read. */
  readonly onProgress?: (progress: { customers: number }) => void;
}

/** One customer as its record stands: no halt marks, no applied log (a scan is for counting, not stepping). */
export interface ScannedCustomer {
  readonly customerId: string;
  readonly version: number;
  /** The state as stored (the engine's `CustomerState` as JSON), with its copies restored. */
  readonly state: unknown;
  readonly ledger: string[];
  readonly timers: Timer[];
}

function nodesOf(redis: Redis | Cluster): Redis[] {
  return redis.isCluster ? (redis as Cluster).nodes('master') : [redis as Redis];
}

/**
 * The layout of a namespace, read without writing: null when nothing was ever written there; an error
 * for another layout (the store's own error, naming `tactful store migrate` for an older one).
 */
export async function readOnlyLayout(options: ReadOnlyOptions): Promise<Layout | null> {
  const found = await readLayout(options);
  if (found === null) return null;
  if (Number.isSafeInteger(found.layout) && found.layout < LAYOUT_VERSION)
    throw olderLayoutError(options.namespace, found);
  if (found.layout !== LAYOUT_VERSION || !Number.isSafeInteger(found.shards) || found.shards < 1)
    throw new TactfulError(
      'config.invalid',
      `namespace ${options.namespace} holds a layout this version cannot read: ${JSON.stringify(found)}`,
    );
  return found;
}

/** Pure. The customer id of a record key `N:{s17}:c:<encoded id>:r`, or null for any other key. */
export function customerOfRecordKey(namespace: string, shards: number, key: string): string | null {
  const match = /^\{s(\d+)\}:c:(.*):r$/s.exec(key.slice(namespace.length + 1));
  if (!key.startsWith(`${namespace}:`) || match === null) return null;
  const customerId = match[2]!.replace(/%([0-9A-F]{2})/g, (_, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
  // the key this layout would give that id must be the one read: anything else is not a record of ours
  const shard = shardOf(customerId, shards);
  return String(shard) === match[1] && customerKeys(namespace, shard, customerId).record === key
    ? customerId
    : null;
}

/**
 * Every customer record of the namespace, page by page (a page is what one SCAN call returned, read in
 * one pipeline). Not one snapshot: a customer committed during the scan is read as it was at its page.
 * Nothing at all for a namespace that holds nothing.
 */
export async function* scanCustomers(options: ScanOptions): AsyncGenerator<ScannedCustomer[]> {
  const layout = await readOnlyLayout(options);
  if (layout === null) return;
  const pattern = `${options.namespace}:{s*}:c:*:r`;
  let customers = 0;
  for (const node of nodesOf(options.redis)) {
    let cursor = '0';
    do {
      const [next, keys] = await redisCall('scanning the customer records', () =>
        node.scan(cursor, 'MATCH', pattern, 'COUNT', options.count ?? 1000),
      );
      cursor = next;
      const page = await readPage(node, options.namespace, layout.shards, keys);
      customers += page.length;
      options.onProgress?.({ customers });
      if (page.length > 0) yield page;
    } while (cursor !== '0');
  }
}

async function readPage(
  node: Redis,
  namespace: string,
  shards: number,
  keys: readonly string[],
): Promise<ScannedCustomer[]> {
  const ids = keys.flatMap((key) => {
    const customerId = customerOfRecordKey(namespace, shards, key);
    return customerId === null ? [] : [{ key, customerId }];
  });
  if (ids.length === 0) return [];
  const pipeline = node.pipeline();
  for (const { key } of ids) pipeline.getBuffer(key);
  const what = `reading ${ids.length} customer record(s)`;
  const replies = await redisCall(what, () => pipeline.exec());
  return ids.flatMap(({ customerId }, i) => {
    const [err, bytes] = replies?.[i] ?? [new Error('the pipeline was discarded'), null];
    if (err) throw storeError(err, what);
    // gone since the SCAN saw it: nothing to count
    if (bytes === null) return [];
    const { version, record } = decodeRecord(bytes as Buffer, customerId);
    return [{ customerId, version, state: record.state, ledger: record.ledger, timers: record.timers }];
  });
}

/**
 * The namespace's named counters summed over its shards, as `store.counters()` reads them, without
 * writing anything (an empty namespace has none).
 */
export async function readCounters(options: ReadOnlyOptions): Promise<Record<string, number>> {
  const layout = await readOnlyLayout(options);
  if (layout === null) return {};
  const perShard = await redisCall('reading the counters', () =>
    Promise.all(
      Array.from({ length: layout.shards }, (_, shard) =>
        options.redis.hgetall(shardKeys(options.namespace, shard).counters),
      ),
    ),
  );
  const totals = new Map<string, number>();
  for (const hash of perShard)
    for (const [field, value] of Object.entries(hash))
      totals.set(field, (totals.get(field) ?? 0) + Number(value));
  return Object.fromEntries(totals);
}
