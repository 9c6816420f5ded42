import { TactfulError } from '@tactful/events';
import type { StoreContext } from './context';
import { parseJson } from './json';
import { layoutKey } from './keys';
import { redisCall } from './redis-errors';

/**
 * Version of the key layout described in README.md. 1: a hash, sorted set, set, list and hash per
 * customer (state, processed ids, ledger, audit, timers, outbox); 2: one compact record per customer.
 */
export const LAYOUT_VERSION = 2;

/** The command that moves a namespace of an older layout to this one. */
export const MIGRATE_COMMAND = 'tactful store migrate';

export interface Layout {
  layout: number;
  shards: number;
}

/** The layout record of a namespace, or null when nothing was ever written there. */
export async function readLayout(ctx: Pick<StoreContext, 'redis' | 'namespace'>): Promise<Layout | null> {
  const key = layoutKey(ctx.namespace);
  const stored = await redisCall('reading the key layout', () => ctx.redis.get(key));
  return stored === null ? null : parseJson<Layout>(stored, `the layout record ${key}`);
}

/** The error that names the migration, for a namespace written by an older version. */
export function olderLayoutError(namespace: string, found: Layout): TactfulError {
  return new TactfulError(
    'config.invalid',
    `namespace ${namespace} holds customer data in key layout ${found.layout}; this version reads layout ` +
      `${LAYOUT_VERSION}. Stop every Tactful service of the namespace and run \`${MIGRATE_COMMAND}\` ` +
      `(with TACTFUL_NAMESPACE=${namespace}), then start them again`,
  );
}

/**
 * Records the layout a namespace was created with, and refuses a store configured with another: an
 * older layout (until `tactful store migrate` moved it), or another shard count. The shard is part of
 * every key, so a changed count would make every customer look new: state, ledger and timers would be
 * silently left behind, and templates already sent could be sent again.
 */
export async function ensureLayout(ctx: StoreContext): Promise<void> {
  const key = layoutKey(ctx.namespace);
  const ours: Layout = { layout: LAYOUT_VERSION, shards: ctx.shards };
  await redisCall('checking the key layout', () => ctx.redis.set(key, JSON.stringify(ours), 'NX'));
  const found = await readLayout(ctx);
  if (found !== null && Number.isSafeInteger(found.layout) && found.layout < LAYOUT_VERSION)
    throw olderLayoutError(ctx.namespace, found);
  if (found?.layout !== ours.layout || found.shards !== ours.shards)
    throw new TactfulError(
      'config.invalid',
      `namespace ${ctx.namespace} was created with layout ${JSON.stringify(found)} (key ${key}), ` +
        `but this store is configured with ${JSON.stringify(ours)}; the shard count cannot change ` +
        'without migrating every customer',
    );
}

/**
 * Runs `ensureLayout` once per store, before the first operation that needs it. A failure to reach
 * Redis is forgotten so the next operation checks again; a mismatch is kept, so every call refuses.
 */
export function layoutGate(ctx: StoreContext): () => Promise<void> {
  let checked: Promise<void> | undefined;
  return () => {
    checked ??= ensureLayout(ctx).catch((err: unknown) => {
      if (err instanceof TactfulError && err.retriable) checked = undefined;
      throw err;
    });
    return checked;
  };
}
