import {
  compactState,
  customerView,
  step,
  tallyEngagement,
  tallyStep,
  type CustomerState,
  type CustomerView,
  type StepContext,
} from '@tactful/engine';
import type { AuditRecord, TactfulEvent, Topics } from '@tactful/events';
import { isTransientError } from '@tactful/kafka';
import {
  appliedBefore,
  withApplied,
  type CustomerCommit,
  type EventPosition,
  type LoadedCustomer,
  type Timer,
} from '@tactful/store-redis';
import { toStepOutput, type StepOutput } from './outbox';

/** What became of one event: applied, or recognised as one applied before. */
export type Outcome = 'applied' | 'duplicate';

/** An event that could not be applied, for a reason of its own (not transient): dead-lettered alone. */
export interface EventFailure {
  /** Its index among the events given. */
  readonly at: number;
  readonly error: unknown;
}

/** One event of a sub-batch, with where it was read. */
export interface PositionedEvent {
  readonly event: TactfulEvent;
  readonly position?: EventPosition;
}

export interface ApplyContext {
  readonly step: Omit<StepContext, 'halts'>;
  readonly now: Date;
  readonly topics: Pick<Topics, 'commands' | 'audit'>;
  /** How many recent event ids the record keeps (the store's `recentEventIds`). */
  readonly recentEventIds: number;
}

export interface CustomerApplied {
  /** The commit of everything the events handled changed; null when none was applied. */
  readonly commit: CustomerCommit | null;
  /**
   * One per event handled, in the order given: the first `outcomes.length` events. Fewer than given when
   * one failed (`failure`, right after them) or when `limit` stopped the run; the events after are held.
   */
  readonly outcomes: Outcome[];
  /** The event whose step threw an error that is not transient: not applied, nothing of it committed. */
  readonly failure?: EventFailure;
  /** Every step's audit records and alerts, for metrics once the commit is written. */
  readonly steps: Pick<StepOutput, 'audit' | 'alerts'>[];
}

/** Adds `more` to `into`, field by field (both are counter deltas); returns `into`. */
function addCounts(
  into: Record<string, number>,
  more: Readonly<Record<string, number>>,
): Record<string, number> {
  for (const [field, delta] of Object.entries(more)) into[field] = (into[field] ?? 0) + delta;
  return into;
}

/**
 * Pure. Applies one customer's events of a sub-batch, in order, to the customer as loaded: each event is
 * checked against the applied log (a duplicate changes nothing), stepped, and its effects gathered,
 * so the events of this customer become one commit. The halt marks of events applied here are dropped
 * from the marks later events see (their halt is in the state now) and cleared by the commit, which also
 * clears the marks the load found stale (`staleHalts`: the store's own business).
 *
 * Stops at the first event whose step throws an error that is not transient (a transient one is
 * thrown): that event is the `failure`, and the events after it are not looked at, so that none of them
 * is committed before the failed one is safely in the DLQ (the record's applied offset would otherwise
 * pass it, and a redelivery would take it for applied). At most `limit` events are handled.
 */
export function applyCustomer(
  loaded: LoadedCustomer,
  events: readonly PositionedEvent[],
  ctx: ApplyContext,
  limit = Number.POSITIVE_INFINITY,
): CustomerApplied {
  const customerId = loaded.customerId;
  // the customer as loaded: the state before the first event, and the sentinel's live marks
  let view: CustomerView | undefined;
  let state: CustomerState | undefined;
  let applied = loaded.applied;
  const timers = new Map<string, Timer>(loaded.timers.map((t) => [t.id, t]));
  const marked = new Set(loaded.halts.map((h) => h.eventId));
  const clearHalts = new Set<string>();
  const ledgerAdd: string[] = [];
  const outbox: CustomerCommit['outbox'][number][] = [];
  const audit: AuditRecord[] = [];
  const steps: CustomerApplied['steps'] = [];
  const outcomes: Outcome[] = [];
  const engagement: Record<string, number> = {};
  let failure: EventFailure | undefined;
  for (const [at, { event, position }] of events.entries()) {
    if (at >= limit) break;
    if (appliedBefore(applied, event.id, position) !== false) {
      outcomes.push('duplicate');
      continue;
    }
    let result: ReturnType<typeof step>;
    let output: StepOutput;
    try {
      // read on the first event to step: a stored state the schema refuses fails that event, not the batch
      view ??= customerView(loaded);
      state ??= view.state;
      const halts = view.halts.filter((h) => !clearHalts.has(h.eventId));
      result = step(state, event, ctx.now, { ...ctx.step, halts, pendingTimer: (id) => timers.get(id) });
      output = toStepOutput(customerId, event.id, result.effects, ctx.topics);
    } catch (error) {
      if (isTransientError(error)) throw error;
      failure = { at, error };
      break;
    }
    // a fired timer has done its work: the timer service removed its index entry, the record drops it
    if (event.type === 'timer.fired') timers.delete(event.id);
    for (const id of output.timersCancel) timers.delete(id);
    for (const t of output.timersAdd) timers.set(t.id, t);
    if (marked.has(event.id)) clearHalts.add(event.id);
    addCounts(engagement, tallyEngagement(state, result.state, event));
    ledgerAdd.push(...output.ledgerAdd);
    outbox.push(...output.outbox);
    audit.push(...output.audit);
    steps.push({ audit: output.audit, alerts: output.alerts });
    applied = withApplied(applied, event.id, position, ctx.recentEventIds);
    state = result.state;
    outcomes.push('applied');
  }
  const done = failure === undefined ? {} : { failure };
  if (steps.length === 0 || view === undefined || state === undefined)
    return { commit: null, outcomes, steps, ...done };
  const ledgerKnown = [...new Set([...state.templatesSent, ...ledgerAdd, ...loaded.ledger])].sort();
  return {
    commit: {
      loaded,
      // a set in the state; kept sorted so the record stores it once, as the ledger; fields at their
      // default are left out (CustomerState.parse puts them back when the state is read)
      state: compactState({ ...state, templatesSent: ledgerKnown }),
      ledgerAdd,
      ledgerKnown,
      timers: [...timers.values()],
      applied,
      clearHalts: [...clearHalts],
      outbox,
      // journey counts move in the same atomic commit as the state, so a retry never counts twice
      counters: addCounts(tallyStep(view.state, state, audit), engagement),
    },
    outcomes,
    steps,
    ...done,
  };
}
