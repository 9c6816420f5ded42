import { createStoreContext } from './context';
import { createCounterStore } from './counter-store';
import { createCustomerStore } from './customer-store';
import { createHaltStore } from './halt-store';
import { layoutGate } from './layout';
import { createOutboxStore } from './outbox-store';
import type { StoreOptions } from './store-options';
import { createTimerStore } from './timer-store';
import type { AuditEntry, OutboxCommand } from './types';

/**
 * The Redis adapter of the journey engine. Receives a connected client (single node or cluster) and
 * owns no connection: the composition root creates and closes the client. `C` and `A` are the command
 * and audit record types the caller stores; the store keeps them as the JSON it was given.
 */
export function createStore<C extends OutboxCommand = OutboxCommand, A extends AuditEntry = AuditEntry>(
  options: StoreOptions,
) {
  const ctx = createStoreContext(options);
  const ready = layoutGate(ctx);
  return {
    /** How many shards customers are spread over. */
    shards: ctx.shards,
    /** Pure. The shard of a customer (0…shards-1). */
    shardOf: (customerId: string): number => ctx.shardOf(customerId),
    /** Checks the namespace's recorded layout now; otherwise the first operation does. */
    ensureLayout: ready,
    ...createCustomerStore<C, A>(ctx, ready),
    ...createOutboxStore<C>(ctx, ready),
    ...createTimerStore(ctx, ready),
    ...createHaltStore(ctx, ready),
    ...createCounterStore(ctx, ready),
  };
}

export type Store<C extends OutboxCommand = OutboxCommand, A extends AuditEntry = AuditEntry> = ReturnType<
  typeof createStore<C, A>
>;
