import { createStoreContext } from './context';
import { createCounterStore } from './counter-store';
import { createCustomerStore } from './customer-store';
import { createDeliveryRecordStore } from './delivery-records';
import { createHaltStore } from './halt-store';
import { layoutGate } from './layout';
import { createOutboxStore } from './outbox-store';
import type { StoreOptions } from './store-options';
import { createTimerStore } from './timer-store';

/**
 * The Redis adapter of the journey engine. Receives a connected client (single node or cluster) and
 * owns no connection: the composition root creates and closes the client.
 */
export function createStore(options: StoreOptions) {
  const ctx = createStoreContext(options);
  const ready = layoutGate(ctx);
  return {
    /** How many shards customers are spread over. */
    shards: ctx.shards,
    /** How many recent event ids each record keeps (`withApplied`'s window). */
    recentEventIds: ctx.recentEventIds,
    /** Pure. The shard of a customer (0…shards-1). */
    shardOf: (customerId: string): number => ctx.shardOf(customerId),
    /** Checks the namespace's recorded layout now; otherwise the first operation does. */
    ensureLayout: ready,
    ...createCustomerStore(ctx, ready),
    ...createOutboxStore(ctx, ready),
    ...createTimerStore(ctx, ready),
    ...createHaltStore(ctx, ready),
    ...createCounterStore(ctx, ready),
    ...createDeliveryRecordStore(ctx, ready),
  };
}

export type Store = ReturnType<typeof createStore>;
