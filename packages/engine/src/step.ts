import type { MessageClass, TactfulEvent } from '@tactful/events';
import { TactfulError } from '@tactful/events';
import type { JourneyCatalog } from './catalog';
import { completeFinished } from './completion';
import type { CustomerState } from './customer-state';
import type { Effect } from './effect';
import { enterJourneys } from './entering';
import { reachGoals } from './goals';
import { applyFacts } from './facts';
import { raiseFences } from './halt-fence';
import { applyHalts } from './halts';
import { migrateJourneys, startMigrated } from './migration';
import type { StepContext, StepRun } from './step-run';
import { startRun } from './step-run';
import { stepActive } from './stepping';

const ALL_AT_ONCE: readonly (MessageClass | undefined)[] = [undefined];
const CLASS_FIRST: readonly (MessageClass | undefined)[] = ['transactional', 'marketing'];
const passes = new WeakMap<JourneyCatalog, readonly (MessageClass | undefined)[]>();

/** The passes of a step: one when no journey is transactional (the common case costs nothing more). */
function passesOf(catalog: JourneyCatalog): readonly (MessageClass | undefined)[] {
  let known = passes.get(catalog);
  if (known === undefined) {
    const any = [...catalog.versions.values()].some((entry) => entry.journey.class === 'transactional');
    known = any ? CLASS_FIRST : ALL_AT_ONCE;
    passes.set(catalog, known);
  }
  return known;
}

/** The customer's next state, and what the orchestrator must do once it is saved. */
export interface StepResult {
  readonly state: CustomerState;
  readonly effects: Effect[];
}

/**
 * Pure. Applies one event of one customer: (1) the facts it tells (profile, contact view, purchases),
 * and the journey goals it reaches; (2) the halts it causes, and the fences they leave for commands already decided; (3) the step of every journey still active; (4) the journeys it enters;
 * (5) the journeys that reached a final state. (3) and (4) run first for the transactional journeys, then
 * for the marketing ones, so the answers of a step take the contact budget before any marketing send. The same (state, event, now, ctx) always gives the same
 * result, so a step replayed after a crash yields the same command and timer ids. Throws
 * `TactfulError('internal')` when the event is not this customer's. A journey that a newer version takes
 * (`migrate`) moves to it after the fences and before the halts, and enters its new stage after them.
 */
export function step(state: CustomerState, event: TactfulEvent, now: Date, ctx: StepContext): StepResult {
  if (event.subject !== state.customerId) {
    throw new TactfulError('internal', `event ${event.id} is for another customer than ${state.customerId}`);
  }
  const run: StepRun = startRun(applyFacts(state, event), event, now, ctx);
  reachGoals(run);
  raiseFences(run);
  migrateJourneys(run);
  applyHalts(run);
  startMigrated(run);
  for (const pass of passesOf(ctx.catalog)) {
    run.pass = pass;
    stepActive(run);
    enterJourneys(run);
  }
  run.pass = undefined;
  completeFinished(run);
  return { state: run.state, effects: run.effects };
}
