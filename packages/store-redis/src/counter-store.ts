import type { StoreContext } from './context';
import { redisCall } from './redis-errors';

export function createCounterStore(ctx: StoreContext, ready: () => Promise<void>) {
  return {
    /**
     * The namespace's named counters, as the commits left them: each commit adds to its own shard's hash
     * (one slot with the customer's keys, so the addition is part of the atomic commit), and this sums
     * the shards. One HGETALL per shard, whatever the number of customers.
     */
    async counters(): Promise<Record<string, number>> {
      await ready();
      const perShard = await redisCall('reading the counters', () =>
        Promise.all(
          Array.from({ length: ctx.shards }, (_, shard) => ctx.redis.hgetall(ctx.shard(shard).counters)),
        ),
      );
      // a Map, not an object, while summing: a counter may have any name, `__proto__` included
      const totals = new Map<string, number>();
      for (const hash of perShard)
        for (const [field, value] of Object.entries(hash))
          totals.set(field, (totals.get(field) ?? 0) + Number(value));
      return Object.fromEntries(totals);
    },
  };
}
