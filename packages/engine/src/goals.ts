import { goalMatches } from '@tactful/journeys';
import { journeyVersion } from './catalog';
import { goalsOf } from './draft';
import { sideOf } from './experiment';
import type { StepRun } from './step-run';
import { audit, sortedKeys } from './step-run';

/**
 * Step 1b, before any halt: an event that matches the `goal` of a journey the person entered less than
 * `within` ago is that entry's conversion, once: an audit record `completed` with the code
 * `goal_reached`, naming the entry, its version and the side it took (the holdout, the branch). It counts
 * whether or not the person is still in the journey, and it ends nothing: like the conversion events of
 * Braze and Customer.io, a goal measures a journey; to end the journey on it, list the event in `haltOn`
 * too. The window is measured on the clock the event is applied on, as every window of the engine.
 * Watches whose window has passed are dropped; an event that enters a journey cannot convert that entry.
 */
export function reachGoals(run: StepRun): void {
  const goals = run.state.goals;
  if (goals === undefined || run.event.type === 'timer.fired') return;
  const now = run.now.getTime();
  for (const journeyId of sortedKeys(goals)) {
    const watch = goals[journeyId];
    if (watch === undefined) continue;
    if (Date.parse(watch.until) < now) {
      delete goalsOf(run)[journeyId];
      continue;
    }
    const goal = journeyVersion(run.ctx.catalog, journeyId, watch.version)?.journey.goal;
    // a version the catalog lost keeps its watch until the window ends: it may come back
    if (goal === undefined || !goalMatches(goal, run.event)) continue;
    const active = run.state.active[journeyId];
    const side = active !== undefined && active.entry === watch.entry ? active : watch;
    delete goalsOf(run)[journeyId];
    audit(run, 'completed', {
      journey: journeyId,
      journeyVersion: watch.version,
      ...sideOf(side),
      code: 'goal_reached',
      reason: `reached the journey's goal: ${goal.event} within ${goal.within} of entering (a conversion; it ends nothing unless haltOn lists ${goal.event})`,
    });
  }
  if (Object.keys(run.state.goals ?? {}).length === 0) delete run.state.goals;
}
