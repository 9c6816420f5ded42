import { TactfulError } from '@tactful/events';
import { stageOfValue } from '@tactful/journeys';
import { ContactView, EMPTY_CONTACT } from '@tactful/policy';
import { z } from 'zod';
import { HaltFences } from './halt-fence';

// Everything the engine knows about one customer: one JSON document, stored by the orchestrator under
// the customer's key and handed back to `step` with the next event. Plain JSON only (times are ISO
// strings, maps are records), so a state read back from Redis steps exactly like the one that was saved.
// Objects are loose: a state written by a newer version, with fields this one does not know, still loads.

const Iso = z.iso.datetime({ offset: true });
const JsonObject = z.record(z.string(), z.unknown());

/** What the customer told us about themselves, from the latest forms (templates quote it). */
export const Profile = z.looseObject({
  email: z.string().optional(),
  name: z.string().optional(),
  /** Every form field ever sent, the latest value of each. */
  fields: z.record(z.string(), z.string()).default({}),
});
export type Profile = z.infer<typeof Profile>;

/** One line of an order the customer placed; journeys with that `products` sku end and stay closed. */
export const Purchase = z.looseObject({ sku: z.string(), orderId: z.string(), at: Iso });
export type Purchase = z.infer<typeof Purchase>;

/** The event that entered a journey: templates of that journey quote its data. */
export const TriggerRecord = z.looseObject({ eventId: z.string(), type: z.string(), data: JsonObject });
export type TriggerRecord = z.infer<typeof TriggerRecord>;

/** A journey the customer is in, on the version they entered (invariant: in flight stays on it). */
export const ActiveJourney = z.preprocess(
  stageFromSnapshot,
  z.looseObject({
    journey: z.string(),
    version: z.int().min(1),
    /** Which entry this is (the customer's `seq` when it began): timer ids of another entry never match. */
    entry: z.int().min(1),
    enteredAt: Iso,
    /** Where the customer is: the dotted path of the deepest state (`welcome`, `onboarding.tips`). */
    stage: z.string().min(1),
    /** Pending waits: XState's delayed event id (`xstate.after.P3D.<journey>.<state>`) → our timer id. */
    timers: z.record(z.string(), z.string()).default({}),
    trigger: TriggerRecord,
    /** In the journey's holdout: stages advance, goals count, nothing is sent. Absent when not. */
    holdout: z.literal(true).optional(),
    /** The stages split guards led to, in order, at most `MAX_BRANCH_STEPS`. Absent before any split. */
    path: z.array(z.string()).optional(),
  }),
);
export type ActiveJourney = z.infer<typeof ActiveJourney>;

/**
 * States written before the engine kept stages hold XState's persisted snapshot
 * (`{ status, value, historyValue, context, children }`) instead; its `value` says the stage, and the
 * rest is the same for every customer of a journey, so it is read as the stage and dropped.
 */
function stageFromSnapshot(input: unknown, ctx: z.RefinementCtx): unknown {
  if (typeof input !== 'object' || input === null || 'stage' in input || !('snapshot' in input)) return input;
  const { snapshot, ...rest } = input as { snapshot: unknown };
  const value =
    typeof snapshot === 'object' && snapshot !== null ? (snapshot as { value?: unknown }).value : undefined;
  try {
    return { ...rest, stage: stageOfValue(value) };
  } catch (error) {
    if (!(error instanceof TactfulError)) throw error;
    ctx.addIssue({ code: 'custom', message: error.message, path: ['snapshot'] });
    return input;
  }
}

export const OUTCOMES = ['completed', 'halted'] as const;
export const Outcome = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof Outcome>;

/** How the customer last left a journey; `reentry` is measured from `lastExitAt`. */
export const JourneyHistory = z.looseObject({
  lastExitAt: Iso,
  outcome: Outcome,
  version: z.int().min(1),
  /** A purchase of one of the journey's `products` ended it: it is never entered again. */
  blockedByPurchase: z.boolean().optional(),
});
export type JourneyHistory = z.infer<typeof JourneyHistory>;

/**
 * A send the policy deferred, waiting for its timer. Kept per customer, not per journey instance: a
 * journey may move on or finish while its message waits for the morning, and the message still goes
 * out then, unless something halted that journey meanwhile.
 */
export const DeferredSend = z.looseObject({
  journey: z.string(),
  journeyVersion: z.int().min(1),
  entry: z.int().min(1),
  stage: z.string(),
  template: z.string(),
  channel: z.string(),
  prospecting: z.boolean(),
  /** What the template may quote, as it was when the send was first decided. */
  data: JsonObject,
  dueAt: Iso,
  /** The event whose step first wanted this message. */
  causationId: z.string(),
  /** The branch its entry had taken when it was first decided (see ActiveJourney.path). */
  path: z.array(z.string()).optional(),
});
export type DeferredSend = z.infer<typeof DeferredSend>;

/**
 * An entry whose journey has a `goal`, waiting for it until `until` (entering + `within`): a conversion
 * counts after the journey ended too, so the entry's side (holdout, path) is copied here when it ends.
 */
export const GoalWatch = z.looseObject({
  version: z.int().min(1),
  entry: z.int().min(1),
  until: Iso,
  holdout: z.literal(true).optional(),
  path: z.array(z.string()).optional(),
});
export type GoalWatch = z.infer<typeof GoalWatch>;

export const CustomerState = z.looseObject({
  customerId: z.string().min(1),
  profile: Profile.prefault({}),
  contact: ContactView.prefault({}),
  purchases: z.array(Purchase).default([]),
  /** Every template ever sent to this person, across journeys and versions (invariant 3). */
  templatesSent: z.array(z.string()).default([]),
  /** Templates the person engaged with: 1 opened, 2 clicked, 4 replied, or-ed. Absent for most people. */
  engaged: z.record(z.string(), z.int().min(0)).optional(),
  /** Journeys in flight, by journey id (one instance per journey at a time). */
  active: z.record(z.string(), ActiveJourney).default({}),
  /** The last exit from each journey, by journey id. */
  history: z.record(z.string(), JourneyHistory).default({}),
  /** Deferred sends waiting for their timer, by timer id. */
  deferred: z.record(z.string(), DeferredSend).default({}),
  /** Counts entries and timers, so every entry and every wait gets an id of its own, deterministically. */
  seq: z.int().min(0).default(0),
  /** The newest halt applied to each journey, and to all: what the dispatcher holds queued commands to. */
  haltFences: HaltFences.prefault({}),
  /** Goals still to be reached, by journey id (one per journey: the latest entry). Absent when none. */
  goals: z.record(z.string(), GoalWatch).optional(),
});
export type CustomerState = z.infer<typeof CustomerState>;

/** Pure. The state of a customer we know nothing about yet. */
export function emptyCustomerState(customerId: string): CustomerState {
  return {
    customerId,
    profile: { fields: {} },
    contact: EMPTY_CONTACT,
    purchases: [],
    templatesSent: [],
    active: {},
    history: {},
    deferred: {},
    seq: 0,
    haltFences: { journeys: {} },
  };
}
