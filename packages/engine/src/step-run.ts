import type { AuditDecision, AuditRecord, HaltMark, MessageClass, TactfulEvent } from '@tactful/events';
import type { Policy } from '@tactful/policy';
import type { JourneyMove } from '@tactful/journeys';
import type { CatalogEntry, JourneyCatalog } from './catalog';
import { compare } from './catalog';
import type { CustomerState } from './customer-state';
import type { Effect } from './effect';

/** What `step` needs besides the state and the event: configuration, and the sentinel's marks. */
export interface StepContext {
  readonly catalog: JourneyCatalog;
  readonly policy: Policy;
  /** Halts the sentinel marked for events the orchestrator has not reached yet. */
  readonly halts?: readonly HaltMark[];
  /**
   * The customer's pending timers, by timer id, as stored (`dueAt` in epoch ms, the `payload` of the
   * `schedule` effect): a customer moved to a newer version (`migrate`) keeps the time already waited.
   * Without it, the new stage's waits start at the move.
   */
  readonly pendingTimer?: (
    timerId: string,
  ) => { readonly dueAt: number; readonly payload?: unknown } | undefined;
}

/**
 * One step in progress: a draft of the state that the systems (halts, stepping, entering, completion)
 * update in turn, and the effects in the order they arose. Never escapes `step`, so `step` stays pure
 * although the systems write to the draft. The draft shares every record with the state it was made
 * from until a system asks to change one (`draft.ts`): a step copies what it changes, nothing more.
 */
export interface StepRun {
  readonly event: TactfulEvent;
  readonly now: Date;
  /** `now` as ISO 8601, the time of every record of this step. */
  readonly at: string;
  readonly ctx: StepContext;
  readonly state: CustomerState;
  /** The records of the draft that this run copied, and may therefore change (see `draft.ts`). */
  readonly owned: Set<object>;
  readonly effects: Effect[];
  /** Journeys left during this step: the same event does not enter them again. */
  readonly exited: Set<string>;
  /** The blast guard tripped: every journey is halted and nothing more happens in this step. */
  blasted: boolean;
  /**
   * The class of journeys being stepped and entered: transactional journeys go first, so in one step
   * every answer takes the contact budget before any marketing message is weighed against it.
   * Undefined: every journey at once (a catalog without transactional journeys).
   */
  pass: MessageClass | undefined;
  /** Journeys moved to a newer version in this step, whose new stage is entered once the halts are applied. */
  readonly migrated: Map<string, MigratedJourney>;
}

/** A journey moved to a newer version in this step: the move into its new stage, and when its waits count from. */
export interface MigratedJourney {
  readonly entry: CatalogEntry;
  readonly move: JourneyMove;
  /** Epoch ms: when the customer began waiting in the stage they left (the new waits count from it). */
  readonly since: number;
}

/** Pure. A run on a draft of `state`, so the caller's state is never touched. */
export function startRun(state: CustomerState, event: TactfulEvent, now: Date, ctx: StepContext): StepRun {
  return {
    event,
    now,
    at: now.toISOString(),
    ctx,
    state: { ...state },
    owned: new Set(),
    effects: [],
    exited: new Set(),
    blasted: false,
    pass: undefined,
    migrated: new Map(),
  };
}

/** Pure. Whether the run's current pass covers journeys of class `journeyClass` (absent: marketing). */
export function inPass(run: StepRun, journeyClass: MessageClass | undefined): boolean {
  return run.pass === undefined || (journeyClass ?? 'marketing') === run.pass;
}

/** What an audit record says besides who, when and which event. */
export type AuditFields = Pick<
  AuditRecord,
  'journey' | 'journeyVersion' | 'stage' | 'template' | 'commandId' | 'entry' | 'branch' | 'holdout'
> & {
  code: string;
  reason: string;
};

/**
 * Records a decision of this step, caused by the event being applied (invariant 6). Fields left
 * undefined are left out, so a result equals its JSON round trip; written out field by field because
 * this runs for every decision of every event.
 */
export function audit(run: StepRun, decision: AuditDecision, fields: AuditFields): void {
  // Built in the order of the record's schema; `reason` and `code` are set below, before it escapes.
  const record = { customerId: run.state.customerId, at: run.at, decision } as AuditRecord;
  if (fields.journey !== undefined) record.journey = fields.journey;
  if (fields.journeyVersion !== undefined) record.journeyVersion = fields.journeyVersion;
  if (fields.stage !== undefined) record.stage = fields.stage;
  if (fields.template !== undefined) record.template = fields.template;
  if (fields.commandId !== undefined) record.commandId = fields.commandId;
  if (fields.entry !== undefined) record.entry = fields.entry;
  if (fields.branch !== undefined) record.branch = fields.branch;
  if (fields.holdout === true) record.holdout = true;
  record.code = fields.code;
  record.reason = fields.reason;
  record.causationId = run.event.id;
  run.effects.push({ type: 'audit', record });
}

/** Pure. The keys of a record in code-unit order, so every step visits journeys in the same order. */
export function sortedKeys(record: Readonly<Record<string, unknown>>): string[] {
  const keys = Object.keys(record);
  return keys.length < 2 ? keys : keys.sort(compare);
}
