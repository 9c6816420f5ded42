import type { AuditDecision, AuditRecord, TactfulEvent } from '@tactful/events';
import type { Policy } from '@tactful/policy';
import type { JourneyCatalog } from './catalog';
import { compare } from './catalog';
import type { ActiveJourney, CustomerState } from './customer-state';
import type { Effect } from './effect';
import type { HaltMark } from './halt-mark';

/** What `step` needs besides the state and the event: configuration, and the sentinel's marks. */
export interface StepContext {
  readonly catalog: JourneyCatalog;
  readonly policy: Policy;
  /** Halts the sentinel marked for events the orchestrator has not reached yet. */
  readonly halts?: readonly HaltMark[];
}

/**
 * One step in progress: a draft of the state that the systems (halts, stepping, entering, completion)
 * update in turn, and the effects in the order they arose. Never escapes `step`, so `step` stays pure
 * although the systems write to the draft.
 */
export interface StepRun {
  readonly event: TactfulEvent;
  readonly now: Date;
  /** `now` as ISO 8601, the time of every record of this step. */
  readonly at: string;
  readonly ctx: StepContext;
  readonly state: CustomerState;
  readonly effects: Effect[];
  /** Journeys left during this step: the same event does not enter them again. */
  readonly exited: Set<string>;
  /** The blast guard tripped: every journey is halted and nothing more happens in this step. */
  blasted: boolean;
}

/** Pure. A run on a draft of `state`, so the caller's state is never touched. */
export function startRun(state: CustomerState, event: TactfulEvent, now: Date, ctx: StepContext): StepRun {
  return {
    event,
    now,
    at: now.toISOString(),
    ctx,
    state: draftOf(state),
    effects: [],
    exited: new Set(),
    blasted: false,
  };
}

/**
 * Pure. A copy of what the systems change in place: the records of journeys, history and deferred sends,
 * each active journey and its waits, and the list of templates sent. Everything else (profile, contact
 * view, purchases, triggers, deferred sends themselves) is shared with `state`: the systems replace
 * those and never change them, so a step costs copies of what it may touch, not of the whole state.
 */
function draftOf(state: CustomerState): CustomerState {
  const active: Record<string, ActiveJourney> = {};
  for (const [journeyId, instance] of Object.entries(state.active)) {
    active[journeyId] = { ...instance, timers: { ...instance.timers } };
  }
  return {
    ...state,
    active,
    history: { ...state.history },
    deferred: { ...state.deferred },
    templatesSent: [...state.templatesSent],
  };
}

/** What an audit record says besides who, when and which event. */
export type AuditFields = Pick<
  AuditRecord,
  'journey' | 'journeyVersion' | 'stage' | 'template' | 'commandId'
> & {
  code: string;
  reason: string;
};

/** Records a decision of this step, caused by the event being applied (invariant 6). */
export function audit(run: StepRun, decision: AuditDecision, fields: AuditFields): void {
  const record: AuditRecord = {
    customerId: run.state.customerId,
    at: run.at,
    decision,
    ...withoutUndefined(fields),
    causationId: run.event.id,
  };
  run.effects.push({ type: 'audit', record });
}

function withoutUndefined<T extends object>(record: T): T {
  // JSON drops undefined members; dropping them here keeps a result equal to its JSON round trip.
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}

/** Pure. The keys of a record in code-unit order, so every step visits journeys in the same order. */
export function sortedKeys(record: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(record).sort(compare);
}
