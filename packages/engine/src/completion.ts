import { journeyVersion } from './catalog';
import { exitJourney } from './exit-journey';
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
    // A version the catalog lost was not stepped, so it cannot have reached its end in this step.
    const entry = instance && journeyVersion(run.ctx.catalog, journeyId, instance.version);
    if (instance === undefined || entry === undefined || !entry.steps.isFinal(instance.stage)) continue;
    exitJourney(run, journeyId, {
      outcome: 'completed',
      code: 'final_state',
      reason: `reached the final state ${instance.stage}`,
    });
  }
}
