import type { Outcome } from './customer-state';
import { activeOf, deferredOf, goalsOf, historyOf } from './draft';
import { sideOf } from './experiment';
import type { StepRun } from './step-run';
import { audit, sortedKeys } from './step-run';

/** Why a journey ends: the outcome kept in history, and the reason the audit record gives. */
export interface Exit {
  readonly outcome: Outcome;
  readonly code: string;
  readonly reason: string;
  /** A purchase of one of its products ended it: it is never entered again. */
  readonly blockedByPurchase?: boolean;
}

/**
 * Ends the customer's instance of `journeyId`: its waits are cancelled, it leaves `active`, its history
 * records how it ended (reentry is measured from here), and an audit record says why.
 */
export function exitJourney(run: StepRun, journeyId: string, exit: Exit): void {
  const instance = run.state.active[journeyId];
  if (instance === undefined) return;
  for (const delayed of sortedKeys(instance.timers)) {
    const timerId = instance.timers[delayed];
    if (timerId !== undefined)
      run.effects.push({ type: 'cancel', customerId: run.state.customerId, timerId });
  }
  delete activeOf(run)[journeyId];
  historyOf(run)[journeyId] = {
    lastExitAt: run.at,
    outcome: exit.outcome,
    version: instance.version,
    ...(exit.blockedByPurchase === true ? { blockedByPurchase: true } : {}),
  };
  run.exited.add(journeyId);
  const watch = run.state.goals?.[journeyId];
  if (watch !== undefined && watch.entry === instance.entry && (instance.holdout || instance.path)) {
    // the goal may still be reached after the journey ended: it counts for the side the entry was on
    goalsOf(run)[journeyId] = {
      ...watch,
      ...(instance.holdout === true ? { holdout: true as const } : {}),
      ...(instance.path === undefined ? {} : { path: instance.path }),
    };
  }
  audit(run, exit.outcome === 'completed' ? 'completed' : 'halted', {
    journey: journeyId,
    journeyVersion: instance.version,
    ...sideOf(instance),
    code: exit.code,
    reason: exit.reason,
  });
}

/**
 * Drops a deferred send for good: its timer is cancelled and an audit record says it will never be
 * sent (the `deferred` record said it would be, later).
 */
export function dropDeferred(run: StepRun, timerId: string, code: string, reason: string): void {
  const deferred = run.state.deferred[timerId];
  if (deferred === undefined) return;
  delete deferredOf(run)[timerId];
  run.effects.push({ type: 'cancel', customerId: run.state.customerId, timerId });
  audit(run, 'suppressed', {
    journey: deferred.journey,
    journeyVersion: deferred.journeyVersion,
    stage: deferred.stage,
    template: deferred.template,
    ...sideOf(deferred),
    code,
    reason: `deferred message dropped: ${reason}`,
  });
}

/** Halts every journey and drops every deferred send of the customer (the blast guard). */
export function haltEverything(run: StepRun, code: string, reason: string): void {
  for (const journeyId of sortedKeys(run.state.active)) {
    exitJourney(run, journeyId, { outcome: 'halted', code, reason });
  }
  for (const timerId of sortedKeys(run.state.deferred)) dropDeferred(run, timerId, code, reason);
}
