import { TactfulError } from '@tactful/events';
import type { StoreContext } from './context';
import { parseJson } from './json';
import { redisCall } from './redis-errors';
import type { OutboxCommand } from './types';

// The outbox holds the commands a commit decided, until they are relayed to `N.commands`: a crash
// between the commit and the relay leaves them here, and recovery relays them again (consumers
// deduplicate on the command id, so relaying twice is harmless; losing one is not).

export function createOutboxStore<C extends OutboxCommand>(ctx: StoreContext, ready: () => Promise<void>) {
  return {
    /** The customer's commands not yet acknowledged, in the order they were committed. */
    async pendingOutbox(customerId: string): Promise<C[]> {
      const { keys } = ctx.customer(customerId);
      await ready();
      const commands: (string | null)[] = await redisCall(`reading the outbox of ${customerId}`, async () => {
        const ids = await ctx.redis.lrange(keys.outboxOrder, 0, -1);
        return ids.length === 0 ? [] : ctx.redis.hmget(keys.outbox, ...ids);
      });
      // an id acknowledged between the two reads has no JSON any more: it is simply not pending
      return commands
        .filter((c): c is string => c !== null)
        .map((c) => parseJson<C>(c, `a command of ${customerId}`));
    },

    /** Removes relayed commands; ids no longer pending are ignored, so an ack may be repeated. */
    async ackOutbox(customerId: string, commandIds: string[]): Promise<number> {
      const { shard, keys } = ctx.customer(customerId);
      if (commandIds.length === 0) return 0;
      await ready();
      const pending = ctx.shard(shard).outboxPending;
      const removed = await redisCall(`acknowledging the outbox of ${customerId}`, () =>
        ctx.scripts.ackOutbox(keys.outbox, keys.outboxOrder, pending, customerId, ...commandIds),
      );
      if (typeof removed !== 'number')
        throw new TactfulError('internal', `unexpected reply of the ack script: ${JSON.stringify(removed)}`);
      return removed;
    },

    /** Customers of a shard whose outbox is not empty: what recovery relays after a crash. */
    async customersWithPendingOutbox(shard: number): Promise<string[]> {
      const key = ctx.shard(shard).outboxPending;
      await ready();
      return redisCall(`listing pending outboxes of shard ${shard}`, async () => {
        // SSCAN rather than SMEMBERS: after an outage the set can be large, and one reply must not block
        const customers: string[] = [];
        let cursor = '0';
        do {
          const [next, batch] = await ctx.redis.sscan(key, cursor, 'COUNT', 1000);
          customers.push(...batch);
          cursor = next;
        } while (cursor !== '0');
        return [...new Set(customers)].sort();
      });
    },
  };
}
