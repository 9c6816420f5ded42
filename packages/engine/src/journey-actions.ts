import type { JourneyAction } from '@tactful/journeys';
import { assertNever, TactfulError } from '@tactful/events';
import type { CatalogEntry } from './catalog';
import type { ActiveJourney } from './customer-state';
import { decideSend } from './sends';
import type { StepRun } from './step-run';
import { timerIdFor } from './timer-id';

/**
 * Carries out what one move of one journey asked for, in XState's order (a wait may be cancelled and
 * started again in one step): sends go through `decideSend`, waits become durable timers. Stops as soon
 * as the journey is no longer active (the blast guard halted it), so nothing of a halted journey
 * outlives the halt. `data` is what its templates may quote. `instance` is the run's own copy
 * (`journeyOf`, `putJourney`), since its waits change here.
 */
export function applyJourneyActions(
  run: StepRun,
  instance: ActiveJourney,
  entry: CatalogEntry,
  actions: readonly JourneyAction[],
  data: Record<string, unknown>,
  waitsFrom: number = run.now.getTime(),
): void {
  for (const action of actions) {
    if (run.blasted || run.state.active[instance.journey] !== instance) return;
    applyOne(run, instance, entry, action, data, waitsFrom);
  }
}

/** `waitsFrom` (epoch ms): when the waits started count from; one due before now is due now. */
function applyOne(
  run: StepRun,
  instance: ActiveJourney,
  entry: CatalogEntry,
  action: JourneyAction,
  data: Record<string, unknown>,
  waitsFrom: number,
): void {
  switch (action.type) {
    case 'send':
      decideSend(run, {
        journey: instance.journey,
        journeyVersion: instance.version,
        entry: instance.entry,
        stage: action.params.stage,
        template: action.params.template,
        channel: action.params.channel,
        prospecting: entry.prospecting,
        data,
        causationId: run.event.id,
        ...(instance.holdout === true ? { holdout: true } : {}),
        ...(instance.path === undefined ? {} : { path: instance.path }),
      });
      return;
    case 'schedule':
      startWait(run, instance, entry, action, waitsFrom);
      return;
    case 'cancel':
      cancelWait(run, instance, action.id);
      return;
    default:
      assertNever(action, 'journey action');
  }
}

function startWait(
  run: StepRun,
  instance: ActiveJourney,
  entry: CatalogEntry,
  wait: Extract<JourneyAction, { type: 'schedule' }>,
  waitsFrom: number,
): void {
  const info = entry.waits.get(wait.event.type);
  if (info === undefined) {
    // The catalog names waits the way XState does; a mismatch means XState changed under us.
    throw new TactfulError(
      'internal',
      `journey ${instance.journey} started an unknown wait ${wait.event.type}`,
    );
  }
  // A new wait with the id of a pending one replaces it.
  cancelWait(run, instance, wait.id);
  const { state } = run;
  state.seq += 1;
  const id = timerIdFor({
    customerId: state.customerId,
    journey: instance.journey,
    journeyVersion: instance.version,
    entry: instance.entry,
    key: wait.id,
    seq: state.seq,
  });
  instance.timers[wait.id] = id;
  run.effects.push({
    type: 'schedule',
    timer: {
      id,
      customerId: state.customerId,
      journey: instance.journey,
      journeyVersion: instance.version,
      dueAt: Math.max(run.now.getTime(), waitsFrom + wait.delay),
      payload: { kind: 'after', event: wait.event.type, stage: info.stage, delay: info.delay },
    },
  });
}

function cancelWait(run: StepRun, instance: ActiveJourney, delayedId: string): void {
  const timerId = instance.timers[delayedId];
  // Already gone: the wait that just fired (the timer service deleted it), or never started.
  if (timerId === undefined) return;
  delete instance.timers[delayedId];
  run.effects.push({ type: 'cancel', customerId: run.state.customerId, timerId });
}
