import type { AuditRecord } from '@tactful/events';
import type { CustomerState } from './customer-state';
import { emptyCustomerState } from './customer-state';
import type { Timer } from './effect';
import type { StepContext } from './step-run';
import type { SimulatedStep } from './simulator';
import { createSimulator } from './simulator';
import type { Timeline } from './timeline';
import { offsetMs, stateWithProfile, timelineEvents } from './timeline';

/** When a timeline has no `until`, the clock stops once nothing is pending, or this long after the last event. */
export const OPEN_TIMELINE_LIMIT_MS = 10 * 366 * 86_400_000;

/** The customer id of a timeline that names none. */
export const DEFAULT_TIMELINE_CUSTOMER = 'customer';

/** What a timeline did to its person. */
export interface TimelineRun {
  readonly customerId: string;
  /** Where the virtual clock started (epoch ms): the instant of the first offset, `P0D`. */
  readonly start: number;
  /** Where it stopped. */
  readonly end: number;
  /** Every event applied (the timeline's, the timers', the deliveries'), in order, with its decisions. */
  readonly steps: readonly SimulatedStep[];
  /** Every decision, in order: audit records on the virtual clock. */
  readonly decisions: readonly AuditRecord[];
  /** The person's state when the clock stopped. */
  readonly state: CustomerState;
  /** Waits and deferred sends still pending then. */
  readonly pending: readonly Timer[];
  /** When the catalog changed (`TimelineDeploy`), when it did. */
  readonly deployedAt?: number;
}

/** A change of catalog during the run: a new version of a journey deployed beside the old one. */
export interface TimelineDeploy {
  /** Epoch ms on the virtual clock; timers due until then fire on the catalog before. */
  readonly at: number;
  readonly ctx: StepContext;
}

/**
 * Pure. Plays a timeline through `step` on a virtual clock starting at `start` (epoch ms): the events at
 * their offsets, every timer fired when due, every send delivered back as `email.sent`; then the clock
 * runs `until` after the last event, or, without `until`, until nothing is pending (at most
 * `OPEN_TIMELINE_LIMIT_MS`).
 */
export function simulateTimeline(
  timeline: Timeline,
  ctx: StepContext,
  start: number,
  deploy?: TimelineDeploy,
): TimelineRun {
  const customerId = timeline.customer ?? DEFAULT_TIMELINE_CUSTOMER;
  const steps: SimulatedStep[] = [];
  const initial = stateWithProfile(emptyCustomerState(customerId), timeline.profile);
  const simulator = createSimulator(initial, ctx, start, { onStep: (s) => steps.push(s) });
  let pendingDeploy = deploy;
  const deployBy = (at: number) => {
    if (pendingDeploy === undefined || pendingDeploy.at > at) return;
    simulator.advance(pendingDeploy.at);
    simulator.reconfigure(pendingDeploy.ctx);
    pendingDeploy = undefined;
  };
  const events = timelineEvents(timeline, customerId, start);
  events.forEach((event, index) => {
    const at = start + offsetMs(timeline.events[index]!.at);
    deployBy(at);
    simulator.apply(event, at);
  });
  const last = start + offsetMs(timeline.events.at(-1)!.at);
  deployBy(Number.POSITIVE_INFINITY);
  if (timeline.until !== undefined) {
    simulator.advance(last + offsetMs(timeline.until));
  } else {
    const limit = last + OPEN_TIMELINE_LIMIT_MS;
    for (let next = simulator.pendingTimers()[0]; next !== undefined && next.dueAt <= limit;) {
      simulator.advance(next.dueAt);
      next = simulator.pendingTimers()[0];
    }
  }
  return {
    customerId,
    start,
    end: simulator.now,
    steps,
    decisions: steps.flatMap((s) => s.decisions),
    state: simulator.state,
    pending: simulator.pendingTimers(),
    ...(deploy === undefined ? {} : { deployedAt: deploy.at }),
  };
}
