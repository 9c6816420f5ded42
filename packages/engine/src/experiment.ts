import type { ActiveJourney, GoalWatch } from './customer-state';
import type { AuditFields } from './step-run';

// What the engine keeps of a journey's experiment for one entry: whether the person is held out, and
// the branch they took. Both go into the audit record of every decision about the entry, so that a
// report counts per branch from `N.audit` alone, with no state to read.

/** At most this many split decisions are kept per entry: the earliest decide the branch. */
export const MAX_BRANCH_STEPS = 8;

/** Pure. The branch as the audit records name it: the stages the splits led to, joined by `/`. */
export function branchText(path: readonly string[] | undefined): string | undefined {
  return path === undefined || path.length === 0 ? undefined : path.join('/');
}

/** Pure. The audit fields that say which entry a decision is about, and which side of the experiment. */
export function sideOf(
  instance: Pick<ActiveJourney, 'entry' | 'holdout' | 'path'> | Pick<GoalWatch, 'entry' | 'holdout' | 'path'>,
): Pick<AuditFields, 'entry' | 'branch' | 'holdout'> {
  const branch = branchText(instance.path);
  return {
    entry: instance.entry,
    ...(branch === undefined ? {} : { branch }),
    ...(instance.holdout === true ? { holdout: true } : {}),
  };
}

/**
 * Records that a split led the entry to `stage` (the run's own copy of the journey): once per decision,
 * a repeat of the last one left out, and no more than `MAX_BRANCH_STEPS` kept, so the state stays small
 * whatever loops a journey has.
 */
export function takeBranch(instance: ActiveJourney, stage: string): void {
  const path = instance.path ?? [];
  if (path.length >= MAX_BRANCH_STEPS || path.at(-1) === stage) return;
  instance.path = [...path, stage];
}
