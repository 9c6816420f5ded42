import type { TactfulEvent } from '@tactful/events';
import { TactfulError } from '@tactful/events';
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

/** The customer's next state, and what the orchestrator must do once it is saved. */
export interface StepResult {
  readonly state: CustomerState;
  readonly effects: Effect[];
}

/**
 * Pure. Applies one event of one customer: (1) the facts it tells (profile, contact view, purchases),
 * and the journey goals it reaches; (2) the halts it causes, and the fences they leave for commands already decided; (3) the step of every journey still active; (4) the journeys it enters;
 * (5) the journeys that reached a final state. The same (state, event, now, ctx) always gives the same
 * result, so a step replayed after a crash yields the same command and timer ids. Throws
 * `TactfulError('internal')` when the event is not this customer's. A journey that a newer version takes
 * (`migrate`) moves to it after the fences and before the halts, and enters its new stage after them.
 */
export function step(state: CustomerState, event: TactfulEvent, now: Date, ctx: StepContext): StepResult {
  if (event.subject !== state.customerId) {
    throw new TactfulError('internal', `event ${event.id} is for another customer than ${state.customerId}`);
  }
  const run: StepRun = startRun(applyFacts(state, event), event, now, ctx);
  const systems: readonly ((run: StepRun) => void)[] = [
    reachGoals,
    raiseFences,
    migrateJourneys,
    applyHalts,
    startMigrated,
    stepActive,
    enterJourneys,
    completeFinished,
  ];
  for (const system of systems) system(run);
  return { state: run.state, effects: run.effects };
}
