import { TactfulError } from '@tactful/events';
import type { Logger } from '@tactful/observability';
import type { CommitResult, OutboxField, OutboxMessage, Store } from '@tactful/store-redis';
import {
  applyCustomer,
  type ApplyContext,
  type CustomerApplied,
  type Outcome,
  type PositionedEvent,
} from './customer-apply';

export interface SubBatchDeps {
  readonly store: Pick<Store, 'loadMany' | 'commitMany'>;
  readonly logger: Logger;
  /** Read per sub-batch, so a reload of the journeys takes effect at the next one. */
  readonly context: () => ApplyContext;
  /** How often customers whose commit lost a race (a concurrent halt, a rebalance) are recomputed. */
  readonly maxAttempts?: number;
}

/** A sub-batch applied and committed: what to relay, what to acknowledge after, and per event what became of it. */
export interface SubBatchResult {
  readonly outcomes: Outcome[];
  /** Every committed message, customers in order of first appearance, each customer's in event order. */
  readonly messages: OutboxMessage[];
  /** The outbox fields the commits wrote: removed once `messages` are on Kafka. */
  readonly outbox: OutboxField[];
  /** Whether an event was recognised as applied before (a redelivery): its outbox may be pending. */
  readonly duplicates: boolean;
  /** The steps of the committed customers, for metrics. */
  readonly steps: CustomerApplied['steps'];
}

/**
 * Applies one sub-batch of a partition: one pipelined load of every customer in it, each customer's
 * events stepped in memory in order, then one atomic commit per hash-slot group (`commitMany`) with the
 * outbox prefix `outboxPrefix`. Customers whose commit lost a race are loaded and stepped again; the
 * others of their group are committed again as they were.
 */
export async function applySubBatch(
  deps: SubBatchDeps,
  events: readonly PositionedEvent[],
  outboxPrefix: string,
): Promise<SubBatchResult> {
  const byCustomer = new Map<string, number[]>();
  events.forEach(({ event }, i) => {
    const indexes = byCustomer.get(event.subject);
    if (indexes) indexes.push(i);
    else byCustomer.set(event.subject, [i]);
  });
  const customers = [...byCustomer.keys()];
  const outcomes: Outcome[] = new Array<Outcome>(events.length);
  const done = new Map<string, CustomerApplied>();
  const fields: OutboxField[] = [];
  let pending = customers;
  let computed = new Map<string, CustomerApplied>();
  const maxAttempts = deps.maxAttempts ?? 10;
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > maxAttempts)
      throw new TactfulError('store.conflict', `${pending.length} customer(s) kept losing commit races`, {
        retriable: true,
      });
    const stale = pending.filter((c) => !computed.has(c));
    const ctx = deps.context();
    for (const loaded of await deps.store.loadMany(stale))
      computed.set(
        loaded.customerId,
        applyCustomer(
          loaded,
          byCustomer.get(loaded.customerId)!.map((i) => events[i]!),
          ctx,
        ),
      );
    const toCommit = pending.filter((c) => computed.get(c)!.commit !== null);
    for (const c of pending.filter((c) => computed.get(c)!.commit === null)) done.set(c, computed.get(c)!);
    const { results, outbox } = await deps.store.commitMany(
      toCommit.map((c) => computed.get(c)!.commit!),
      outboxPrefix,
    );
    fields.push(...outbox);
    const next = new Map<string, CustomerApplied>();
    const retry: string[] = [];
    toCommit.forEach((customerId, i) => {
      const result = results[i] as CommitResult;
      const applied = computed.get(customerId)!;
      switch (result.status) {
        case 'committed':
          done.set(customerId, applied);
          return;
        case 'not_written':
          next.set(customerId, applied);
          break;
        case 'conflict':
          deps.logger.debug({ customerId, reason: result.reason, attempt }, 'commit lost a race');
          break;
        case 'ledger_violation':
          // the state and the ledger disagreed; the reload merges the ledger and the engine suppresses
          deps.logger.warn({ customerId, template: result.template }, 'ledger refused a send');
          break;
        default: {
          const unknown: never = result;
          throw new TactfulError('internal', `unknown commit result ${JSON.stringify(unknown)}`);
        }
      }
      retry.push(customerId);
    });
    pending = retry;
    computed = next;
  }
  const messages: OutboxMessage[] = [];
  const steps: CustomerApplied['steps'] = [];
  let duplicates = false;
  for (const customerId of customers) {
    const applied = done.get(customerId)!;
    byCustomer.get(customerId)!.forEach((at, k) => (outcomes[at] = applied.outcomes[k]!));
    if (applied.outcomes.includes('duplicate')) duplicates = true;
    if (applied.commit) messages.push(...applied.commit.outbox);
    steps.push(...applied.steps);
  }
  return { outcomes, messages, outbox: fields, duplicates, steps };
}
