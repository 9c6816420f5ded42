import { type Producer, isTransientError, type BatchOutcome, type BatchProgress } from '@tactful/kafka';
import { TactfulError, type TactfulEvent } from '@tactful/events';
import type { Logger } from '@tactful/observability';
import type { Store } from '@tactful/store-redis';
import type { ApplyContext, CustomerApplied } from './customer-apply';
import type { Relay } from './relay';
import { applySubBatch } from './sub-batch';

/** Where a sub-batch is in its life; the test hooks (`BatchHandlerDeps.at`) are called at each. */
export type SubBatchStage = 'committed' | 'relayed' | 'offsets-committed';

export interface BatchHandlerDeps {
  readonly store: Pick<Store, 'loadMany' | 'commitMany' | 'pendingOutbox'>;
  readonly relay: Relay;
  /** The producer that relays one partition's outbox: partitions relay side by side, not one by one. */
  readonly producerFor: (partition: number) => Pick<Producer, 'sendBatch'>;
  readonly context: () => ApplyContext;
  readonly logger: Logger;
  /** Events applied per sub-batch: the unit of load, commit and relay. Default 300. */
  readonly subBatchSize?: number;
  /** Sub-batches of a partition committed but not yet relayed before the next waits. Default 2. */
  readonly relaysInFlight?: number;
  /** Called once a sub-batch is committed, with its steps (for metrics). */
  readonly onCommitted?: (steps: CustomerApplied['steps']) => void;
  /** Fault injection for tests: called at each stage of every sub-batch (a test kills the process there). */
  readonly at?: (stage: SubBatchStage, partition: number) => void | Promise<void>;
}

export interface BatchItem {
  readonly event: TactfulEvent;
  readonly meta: { readonly partition: number; readonly offset: string };
}

/** Pure. The outbox field prefix of a partition's commits: recovery of a partition relays exactly these. */
export function outboxPrefixOf(partition: number): string {
  return `p${partition}`;
}

/**
 * An error of the relay or of the recovery of an outbox, thrown to the consumer as one to retry: what
 * failed is not an event's (the events are committed), so it must hold the partition back until it
 * passes, never dead-letter the events of the batch.
 */
function notTheEvents(err: unknown, what: string): unknown {
  if (isTransientError(err)) return err;
  return TactfulError.retriable('internal', `${what} failed; retrying, since the events are committed`, err);
}

/**
 * Applies a fetched batch of one partition in sub-batches (README.md, "The journey engine"). For each:
 * load, step and commit (`applySubBatch`); then, on a chain of its own so the next sub-batch is applied
 * meanwhile, relay its messages from memory, acknowledge its outbox and commit its offsets. Before the
 * first sub-batch, and before relaying one that met a redelivered event, whatever an earlier attempt left
 * in the partition's outbox is relayed first, so nothing committed is left behind when offsets move on.
 * An event that fails for a reason of its own is dead-lettered by `applySubBatch` before its sub-batch's
 * offsets are committed, and answered as an `itemFailure`.
 */
export function createBatchHandler(deps: BatchHandlerDeps) {
  const size = deps.subBatchSize ?? 300;
  const inFlight = deps.relaysInFlight ?? 2;

  /** Relays what an earlier attempt committed for the partition, except the fields in `ours` (in flight). */
  async function recover(partition: number, ours: ReadonlySet<string>): Promise<void> {
    try {
      const pending = await deps.store.pendingOutbox(outboxPrefixOf(partition));
      for (const { shard, field, messages } of pending.filter((p) => !ours.has(p.field))) {
        deps.logger.info(
          { partition, field, messages: messages.length },
          'relaying an outbox left by an earlier attempt',
        );
        await deps.relay(deps.producerFor(partition), messages, [{ shard, field }]);
      }
    } catch (err) {
      throw notTheEvents(err, `recovering the outbox of partition ${partition}`);
    }
  }

  return async function handleBatch(
    items: readonly BatchItem[],
    heartbeat: () => Promise<void>,
    progress: BatchProgress,
  ): Promise<BatchOutcome[]> {
    const partition = items[0]?.meta.partition ?? 0;
    const producer = deps.producerFor(partition);
    const outcomes: BatchOutcome[] = [];
    // the outbox fields this call committed and has not acknowledged yet: never "left by an earlier attempt"
    const ours = new Set<string>();
    await recover(partition, ours);
    let chain: Promise<void> = Promise.resolve();
    let failure: unknown;
    const links: Promise<void>[] = [];
    try {
      for (let from = 0; from < items.length; from += size) {
        const slice = items.slice(from, from + size);
        const result = await applySubBatch(
          {
            store: deps.store,
            logger: deps.logger,
            context: deps.context,
            deadLetter: (index, error) => progress.deadLetter(from + index, error),
          },
          slice.map((item) => ({ event: item.event, position: item.meta })),
          outboxPrefixOf(partition),
        );
        outcomes.push(...result.outcomes);
        for (const { field } of result.outbox) ours.add(field);
        deps.onCommitted?.(result.steps);
        await deps.at?.('committed', partition);
        const last = from + slice.length - 1;
        const previous = chain;
        chain = (async () => {
          await previous;
          if (result.duplicates) await recover(partition, ours);
          try {
            await deps.relay(producer, result.messages, result.outbox);
          } catch (err) {
            throw notTheEvents(err, `relaying ${result.messages.length} message(s)`);
          }
          for (const { field } of result.outbox) ours.delete(field);
          await deps.at?.('relayed', partition);
          await progress.commitThrough(last);
          await deps.at?.('offsets-committed', partition);
        })();
        // noted at once (so Node does not call it unhandled) and thrown below, at the next sub-batch or the end
        chain.catch((err: unknown) => {
          failure ??= err;
        });
        links.push(chain);
        if (links.length > inFlight) await links.shift();
        if (failure !== undefined) break;
        await heartbeat();
      }
    } catch (err) {
      // no relay of this call may still run when the consumer applies the batch again
      await Promise.allSettled(links);
      throw err;
    }
    await chain;
    return outcomes;
  };
}
