import { z } from 'zod';
import type { CustomerState } from './customer-state';
import { haltScope } from './halt-scope';
import type { StepRun } from './step-run';

// A fence is what a halt leaves behind once the orchestrator applied it: the sentinel's mark is deleted
// by that commit, the journey may since have completed or been entered again, and yet commands decided
// before the halt may still wait in N.commands (a dispatcher behind, after any outage). The fence says
// "nothing of these journeys decided up to `at` may go out", for as long as the state lives, so a reply
// beats every send already queued, however far behind the dispatcher is (invariant 4).

const Iso = z.iso.datetime({ offset: true });

/** The newest halting event applied to a journey (or to every journey) of one customer. */
export const HaltFence = z.looseObject({
  /** Every command of the covered journeys decided before the halt has `createdAt` ≤ this. */
  at: Iso,
  /** The halting event, for the audit reason. */
  eventId: z.string(),
  type: z.string(),
});
export type HaltFence = z.infer<typeof HaltFence>;

/** One customer's fences: bounded by the number of journeys, never growing with events. */
export const HaltFences = z.looseObject({
  /** An opt-out or a hard bounce: every journey. */
  all: HaltFence.optional(),
  /** By journey id: a reply, a purchase, any type in a journey's `haltOn`, becoming a customer. */
  journeys: z.record(z.string(), HaltFence).default({}),
});
export type HaltFences = z.infer<typeof HaltFences>;

/** A fence that stops a command, and whether it stops every journey or the command's own. */
export interface CoveringFence {
  readonly fence: HaltFence;
  readonly all: boolean;
}

const later = (a: number, b: HaltFence | undefined): number =>
  b === undefined ? a : Math.max(a, Date.parse(b.at));

/**
 * Pure. The fence that forbids a command decided at `createdAt` in `journey`, if any: the command was
 * decided at or before a halting event applied to its journey, or to every journey. The all-fence is
 * named first (an opt-out says more than a reply). Commands decided after a fence (a later re-entry)
 * are not covered: the engine dates them after it (`decisionTime`).
 */
export function coveringFence(
  fences: HaltFences,
  command: { readonly journey: string; readonly createdAt: string },
): CoveringFence | undefined {
  const createdAt = Date.parse(command.createdAt);
  if (Number.isNaN(createdAt)) return undefined;
  const all = fences.all;
  if (all !== undefined && createdAt <= Date.parse(all.at)) return { fence: all, all: true };
  const own = fences.journeys[command.journey];
  if (own !== undefined && createdAt <= Date.parse(own.at)) return { fence: own, all: false };
  return undefined;
}

/**
 * Pure. The `createdAt` of a command of `journey` decided at `now`: `now`, or just after the newest fence
 * of the journey when that fence is not earlier (a fence set by this very step, or by an orchestrator
 * instance whose clock runs ahead). So a send decided after a halt is never mistaken for one decided
 * before it, whatever the clocks of the instances say.
 */
export function decisionTime(state: CustomerState, journey: string, now: Date): Date {
  const fences = state.haltFences;
  const floor = later(later(Number.NEGATIVE_INFINITY, fences.all), fences.journeys[journey]);
  return floor < now.getTime() ? now : new Date(floor + 1);
}

/**
 * Step 2, before the halts themselves: when the event halts journeys (`haltScope`: every version of the
 * catalog, whether or not the customer is in them), records a fence for each, or one for everything on
 * an opt-out or a hard bounce. Its `at` is the latest of now, the latest send recorded for the customer
 * and the fence it replaces, so it is never before a command decided earlier, even one decided by an
 * instance whose clock ran ahead, and a fence never moves back.
 */
export function raiseFences(run: StepRun): void {
  const scope = haltScope(run.event, run.ctx.catalog);
  if (scope === undefined) return;
  const { state } = run;
  const latestSend = state.contact.sends.reduce(
    (max, send) => Math.max(max, Date.parse(send.at)),
    run.now.getTime(),
  );
  const fenceOf = (previous: HaltFence | undefined): HaltFence => ({
    at: new Date(later(latestSend, previous)).toISOString(),
    eventId: run.event.id,
    type: run.event.type,
  });
  if (scope.all) {
    state.haltFences = { ...state.haltFences, all: fenceOf(state.haltFences.all) };
    return;
  }
  const journeys = { ...state.haltFences.journeys };
  for (const journey of scope.journeys) journeys[journey] = fenceOf(journeys[journey]);
  state.haltFences = { ...state.haltFences, journeys };
}
