import type { TimerFiredData } from '@tactful/events';
import type { CatalogEntry } from './catalog';
import { journeyVersion } from './catalog';
import type { ActiveJourney, TriggerRecord } from './customer-state';
import { deferredOf, journeyOf } from './draft';
import { takeBranch } from './experiment';
import { applyJourneyActions } from './journey-actions';
import { decideSend } from './sends';
import type { StepRun } from './step-run';
import { sortedKeys } from './step-run';

/**
 * Step 3: gives the event to every journey still active, on the version each one entered. A
 * `timer.fired` goes only to the wait (or deferred send) it names, and is ignored when that wait is no
 * longer pending: the journey left the state, was halted, or was entered again since.
 */
export function stepActive(run: StepRun): void {
  const { event } = run;
  if (event.type === 'timer.fired') {
    fireTimer(run, event.data);
    return;
  }
  for (const journeyId of sortedKeys(run.state.active)) {
    if (run.blasted) return;
    const instance = run.state.active[journeyId];
    const entry = instance && journeyVersion(run.ctx.catalog, journeyId, instance.version);
    // A version the catalog lost cannot be stepped; it waits, untouched, until it comes back.
    if (instance === undefined || entry === undefined) continue;
    advance(run, instance, entry, event, () => templateData(instance.trigger, event.data));
  }
}

function fireTimer(run: StepRun, fired: TimerFiredData): void {
  const instance = run.state.active[fired.journey];
  if (instance !== undefined && instance.version === fired.journeyVersion) {
    const delayed = Object.keys(instance.timers).find((key) => instance.timers[key] === fired.timerId);
    const entry = journeyVersion(run.ctx.catalog, instance.journey, instance.version);
    const own = delayed === undefined ? undefined : journeyOf(run, fired.journey);
    if (delayed !== undefined && entry !== undefined && own !== undefined) {
      // It fired, so the timer service no longer holds it: leaving the state cancels nothing more.
      delete own.timers[delayed];
      advance(run, own, entry, { type: delayed }, () => ({ ...own.trigger.data }));
      return;
    }
  }
  const deferred = run.state.deferred[fired.timerId];
  if (
    deferred !== undefined &&
    deferred.journey === fired.journey &&
    deferred.journeyVersion === fired.journeyVersion
  ) {
    delete deferredOf(run)[fired.timerId];
    decideSend(run, deferred);
  }
  // Anything else is a stale timer: no effect at all.
}

/** Moves one journey by its step tables; `data` (what its templates may quote) is built only if it moves. */
function advance(
  run: StepRun,
  instance: ActiveJourney,
  entry: CatalogEntry,
  event: { readonly type: string; readonly data?: unknown },
  data: () => Record<string, unknown>,
): void {
  const move = entry.steps.next(instance.stage, event, run.state.customerId);
  if (move === undefined) return;
  // Copied only now that it moves: most events leave most journeys where they are.
  const own = journeyOf(run, instance.journey);
  if (own === undefined) return;
  if (entry.splitAt(own.stage, event.type)) takeBranch(own, move.stage);
  own.stage = move.stage;
  applyJourneyActions(run, own, entry, move.actions, data());
}

/**
 * Pure. What a journey's templates may quote when `data`'s event makes it send: the data of the event
 * that entered it, overlaid with the causing event's (an answer to a reply can quote both).
 */
export function templateData(trigger: TriggerRecord, data: unknown): Record<string, unknown> {
  return { ...trigger.data, ...(data as Record<string, unknown>) };
}
