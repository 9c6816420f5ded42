// What one customer costs in Redis, for the end-to-end bench (bench/engine.ts).
import type { Redis, Store } from '@tactful/store-redis';

/**
 * Redis bytes per customer, from MEMORY USAGE (exact, SAMPLES 0) rather than INFO memory, which moves
 * with client buffers too: the customers' record keys (a sample of `sample`), plus their share of the
 * timer indexes (bytes per index entry times their pending timers).
 */
export async function bytesPerCustomer(
  redis: Redis,
  store: Store,
  namespace: string,
  phase: string,
  count: number,
  sample = 500,
): Promise<{ record: number; timerIndex: number; total: number }> {
  const ids = Array.from(
    { length: Math.min(sample, count) },
    (_, k) => `${phase}-cust-${Math.floor((k * count) / Math.min(sample, count))}`,
  );
  const loaded = await store.loadMany(ids);
  const keys = ids.map((id) => store.customerKey(id, 'x').replace(/:x$/, ':r'));
  const sizes = await Promise.all(keys.map((k) => redis.memory('USAGE', k, 'SAMPLES', 0)));
  const record = sizes.reduce((a: number, b) => a + (b ?? 0), 0) / ids.length;
  let indexBytes = 0;
  let entries = 0;
  for (let shard = 0; shard < store.shards; shard++) {
    const key = `${namespace}:{s${shard}}:timers`;
    indexBytes += (await redis.memory('USAGE', key, 'SAMPLES', 0)) ?? 0;
    entries += await redis.zcard(key);
  }
  const timers = loaded.reduce((a, c) => a + c.timers.length, 0) / ids.length;
  const timerIndex = entries === 0 ? 0 : (indexBytes / entries) * timers;
  return {
    record: Math.round(record),
    timerIndex: Math.round(timerIndex),
    total: Math.round(record + timerIndex),
  };
}
