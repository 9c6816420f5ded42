import type { Outcome } from './customer-state';
import { activeOf, deferredOf, historyOf } from './draft';
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
  audit(run, exit.outcome === 'completed' ? 'completed' : 'halted', {
    journey: journeyId,
    journeyVersion: instance.version,
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
