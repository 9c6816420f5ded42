import { exitJourney } from './exit-journey';
import { isDone, stagesOf } from './snapshots';
import type { StepRun } from './step-run';
import { sortedKeys } from './step-run';

/**
 * Step 5: a journey whose machine reached a final state leaves `active` (remaining waits cancelled,
 * history updated). Its deferred sends are kept: the journey finished, it was not halted, and those
 * messages were decided before it did.
 */
export function completeFinished(run: StepRun): void {
  for (const journeyId of sortedKeys(run.state.active)) {
    const instance = run.state.active[journeyId];
    if (instance === undefined || !isDone(instance.snapshot)) continue;
    exitJourney(run, journeyId, {
      outcome: 'completed',
      code: 'final_state',
      reason: `reached the final state ${stagesOf(instance.snapshot).join(', ')}`,
    });
  }
}
