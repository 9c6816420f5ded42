import {
  CustomerState,
  emptyCustomerState,
  step,
  tallyStep,
  type HaltMark as EngineHaltMark,
  type StepContext,
} from '@tactful/engine';
import { TactfulError, type AuditRecord, type TactfulEvent } from '@tactful/events';
import { isTransientError, itemFailure, type ItemFailure } from '@tactful/kafka';
import type { Logger } from '@tactful/observability';
import type { HaltMark, Store } from '@tactful/store-redis';
import { toCommit, type OutboxEntry, type StepOutput } from './outbox';

export type Outcome = 'applied' | 'duplicate';

export interface EventHandlerDeps {
  store: Pick<Store<OutboxEntry, AuditRecord>, 'load' | 'commit' | 'isProcessed' | 'clearHalts'>;
  relay: (customerIds: readonly string[]) => Promise<number>;
  /** The journeys and the policy; read per event so a reload takes effect at the next event. */
  context: () => Omit<StepContext, 'halts'>;
  logger: Logger;
  now?: () => Date;
  onCommitted?: (event: TactfulEvent, output: StepOutput) => void;
  /** How often a commit that lost a race (a concurrent halt, a rebalance) is recomputed. */
  maxAttempts?: number;
}

function engineMark(mark: HaltMark): EngineHaltMark {
  return { ...mark, at: new Date(mark.at).toISOString() };
}

/**
 * Applies one event to its customer: load, step, commit state + ledger + timers + outbox in one atomic
 * operation, then relay the outbox to Kafka. The caller commits the Kafka offset only after this resolves,
 * so a crash anywhere repeats work (the commit refuses the duplicate, the relay resends the same ids) but
 * never loses or duplicates an effect.
 */
export function createEventHandler(deps: EventHandlerDeps) {
  const logger = deps.logger.child({ component: 'event-handler' });
  const now = deps.now ?? (() => new Date());
  const maxAttempts = deps.maxAttempts ?? 10;

  async function liveHalts(customerId: string, halts: HaltMark[]): Promise<HaltMark[]> {
    if (halts.length === 0) return halts;
    // a mark whose event was already applied is stale (the sentinel lagged behind us): drop it
    const applied = await Promise.all(halts.map((h) => deps.store.isProcessed(customerId, h.eventId)));
    const stale = halts.filter((_, i) => applied[i]).map((h) => h.eventId);
    if (stale.length > 0) await deps.store.clearHalts(customerId, stale);
    return halts.filter((_, i) => !applied[i]);
  }

  /** Load, step and commit; the caller relays the customer's outbox afterwards. */
  async function apply(event: TactfulEvent): Promise<Outcome> {
    const customerId = event.subject;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const loaded = await deps.store.load(customerId);
      const halts = await liveHalts(customerId, loaded.halts);
      const stored =
        loaded.state === null ? emptyCustomerState(customerId) : CustomerState.parse(loaded.state);
      // the ledger is the record of what was sent; the state's copy must never forget a template of it
      const state: CustomerState = {
        ...stored,
        templatesSent: [...new Set([...stored.templatesSent, ...loaded.ledger])].sort(),
      };
      const result = step(state, event, now(), { ...deps.context(), halts: halts.map(engineMark) });
      const output = toCommit(customerId, event.id, result.state, result.effects);
      const committed = await deps.store.commit({
        ...output.batch,
        expectedVersion: loaded.version,
        haltsSeen: halts.length,
        // journey counts move in the same atomic commit as the state, so a retry never counts twice
        counters: tallyStep(state, result.state, output.batch.audit),
      });
      switch (committed.status) {
        case 'committed':
          deps.onCommitted?.(event, output);
          return 'applied';
        case 'duplicate':
          // the first attempt may have crashed between its commit and its relay: the caller relays anyway
          return 'duplicate';
        case 'conflict':
          logger.debug(
            { customerId, eventId: event.id, reason: committed.reason, attempt },
            'commit lost a race',
          );
          continue;
        case 'ledger_violation':
          // the state and the ledger disagreed; the reload merges the ledger and the engine suppresses
          logger.warn(
            { customerId, eventId: event.id, template: committed.template },
            'ledger refused a send',
          );
          continue;
        default: {
          const unknown: never = committed;
          throw new TactfulError('internal', `unknown commit result ${JSON.stringify(unknown)}`);
        }
      }
    }
    throw new TactfulError('store.conflict', `event ${event.id} of ${customerId}: commit kept losing races`, {
      retriable: true,
    });
  }

  /**
   * `apply`, with an error of the event's own (anything not transient) answered as its failure, for the
   * consumer to dead-letter: the batch's other events keep their commits and are relayed with the batch.
   */
  async function applyOrFail(event: TactfulEvent): Promise<Outcome | ItemFailure> {
    try {
      return await apply(event);
    } catch (err) {
      if (isTransientError(err)) throw err;
      return itemFailure(err);
    }
  }

  return {
    /**
     * The events of one partition's batch: each customer's events in order, different customers at once
     * (up to `concurrency`), then every touched outbox relayed in one produce. Order per customer is
     * what invariant 5 asks; across customers no order is promised. An event that fails for a reason
     * of its own is answered as an `itemFailure` and the customer's later events are still applied.
     */
    async handleBatch(events: readonly TactfulEvent[], concurrency: number, heartbeat?: () => Promise<void>) {
      const byCustomer = new Map<string, number[]>();
      events.forEach((event, i) => {
        const indexes = byCustomer.get(event.subject);
        if (indexes) indexes.push(i);
        else byCustomer.set(event.subject, [i]);
      });
      const outcomes = new Array<Outcome | ItemFailure>(events.length);
      const queue = [...byCustomer.values()];
      const worker = async (): Promise<void> => {
        for (let indexes = queue.shift(); indexes; indexes = queue.shift())
          for (const i of indexes) outcomes[i] = await applyOrFail(events[i]!);
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
      await heartbeat?.();
      await deps.relay([...byCustomer.keys()]);
      return outcomes;
    },
  };
}
