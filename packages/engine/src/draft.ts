import type { ActiveJourney, CustomerState, DeferredSend, GoalWatch, JourneyHistory } from './customer-state';
import type { StepRun } from './step-run';

// Copy on write for the draft of a step. `startRun` copies the top of the state only; a system that
// changes a record (the active journeys, one journey and its waits, the history, the deferred sends, the
// templates sent) asks for it here first, and gets a copy the first time in a step, the same copy after.
// Whatever no system asked for stays shared with the state `step` was given, which it never changes.

function owned<T extends object>(
  run: StepRun,
  current: T,
  copy: (value: T) => T,
  put: (value: T) => void,
): T {
  if (run.owned.has(current)) return current;
  const mine = copy(current);
  run.owned.add(mine);
  put(mine);
  return mine;
}

/** The draft's active journeys, to add or remove one. */
export function activeOf(run: StepRun): Record<string, ActiveJourney> {
  const { state } = run;
  return owned(
    run,
    state.active,
    (a) => ({ ...a }),
    (a) => (state.active = a),
  );
}

/** One active journey of the draft, with its waits, to change; undefined when not active. */
export function journeyOf(run: StepRun, journeyId: string): ActiveJourney | undefined {
  const instance = run.state.active[journeyId];
  if (instance === undefined || run.owned.has(instance)) return instance;
  const active = activeOf(run);
  return owned(
    run,
    instance,
    (i) => ({ ...i, timers: { ...i.timers } }),
    (i) => (active[journeyId] = i),
  );
}

/** Adds a journey the customer just entered; it is the run's own (it made it). */
export function putJourney(run: StepRun, instance: ActiveJourney): void {
  run.owned.add(instance);
  activeOf(run)[instance.journey] = instance;
}

/** The draft's history of exits, to record one. */
export function historyOf(run: StepRun): Record<string, JourneyHistory> {
  const { state } = run;
  return owned(
    run,
    state.history,
    (h) => ({ ...h }),
    (h) => (state.history = h),
  );
}

/** The draft's deferred sends, to add or remove one. */
export function deferredOf(run: StepRun): Record<string, DeferredSend> {
  const { state } = run;
  return owned(
    run,
    state.deferred,
    (d) => ({ ...d }),
    (d) => (state.deferred = d),
  );
}

/** The draft's list of templates sent, to add one. */
export function templatesSentOf(run: StepRun): CustomerState['templatesSent'] {
  const { state } = run;
  return owned(
    run,
    state.templatesSent,
    (t) => [...t],
    (t) => (state.templatesSent = t),
  );
}

/** The draft's goal watches, to add, change or remove one. */
export function goalsOf(run: StepRun): Record<string, GoalWatch> {
  const { state } = run;
  return owned(
    run,
    state.goals ?? {},
    (g) => ({ ...g }),
    (g) => (state.goals = g),
  );
}
