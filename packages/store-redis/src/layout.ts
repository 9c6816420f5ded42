import { TactfulError } from '@tactful/events';
import type { StoreContext } from './context';
import { parseJson } from './json';
import { layoutKey } from './keys';
import { redisCall } from './redis-errors';

/** Version of the key layout described in README.md; a new layout would need a migration. */
export const LAYOUT_VERSION = 1;

interface Layout {
  layout: number;
  shards: number;
}

/**
 * Records the shard count a namespace was created with, and refuses a store configured with another.
 * The shard is part of every key, so a changed count would make every customer look new: state,
 * ledger and timers would be silently left behind, and templates already sent could be sent again.
 */
export async function ensureLayout(ctx: StoreContext): Promise<void> {
  const key = layoutKey(ctx.namespace);
  const ours: Layout = { layout: LAYOUT_VERSION, shards: ctx.shards };
  const stored = await redisCall('checking the key layout', async () => {
    await ctx.redis.set(key, JSON.stringify(ours), 'NX');
    return ctx.redis.get(key);
  });
  const found = stored === null ? null : parseJson<Partial<Layout>>(stored, `the layout record ${key}`);
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
