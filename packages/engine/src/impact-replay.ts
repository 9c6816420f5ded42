import type { TactfulEvent } from '@tactful/events';
import { emptyCustomerState } from './customer-state';
import type { DecisionTally } from './decision-tally';
import { createDecisionCounter } from './decision-tally';
import type { Simulator } from './simulator';
import { createSimulator } from './simulator';
import type { StepContext } from './step-run';
import { summarise } from './summarise';

// A dry run over real history: every customer's events, in order, through `step` with a candidate
// journey in the catalog, on each customer's own virtual clock (the times the events were written), with
// the timer service's and the dispatcher's part played as in a simulation. Nothing leaves this module.

/** Events the services write about their own work: the replay plays that part itself. */
const OWN_WORK: ReadonlySet<string> = new Set(['timer.fired', 'email.sent']);

export interface ImpactSummary {
  /** Events replayed. */
  readonly events: number;
  /** Events of the history left out because the replay does that work itself (timer.fired, email.sent). */
  readonly skipped: number;
  /** People whose events were replayed. */
  readonly people: number;
  /** People still in the journey when the replay ended. */
  readonly inJourney: number;
  /** The decisions about the journey. */
  readonly tally: DecisionTally;
}

export interface ImpactReplay {
  /** Applies one event of the history at `at` (epoch ms; the time it was written). */
  apply(event: TactfulEvent, at: number): void;
  /** Fires every timer due up to `at` for every person, and counts what that decided. */
  finish(at: number): ImpactSummary;
}

/** Pure. A replay that counts the decisions about `journey` (an id of `ctx.catalog`). */
export function createImpactReplay(ctx: StepContext, journey: string): ImpactReplay {
  const people = new Map<string, Simulator>();
  const counter = createDecisionCounter(journey);
  let events = 0;
  let skipped = 0;
  const onStep = (step: { decisions: readonly Parameters<typeof counter.add>[0][] }) => {
    for (const record of step.decisions) counter.add(record);
  };

  return {
    apply(event, at) {
      if (OWN_WORK.has(event.type)) {
        skipped += 1;
        return;
      }
      events += 1;
      let simulator = people.get(event.subject);
      if (simulator === undefined) {
        simulator = createSimulator(emptyCustomerState(event.subject), ctx, at, { onStep });
        people.set(event.subject, simulator);
      }
      simulator.apply(event, at);
    },
    finish(at) {
      let inJourney = 0;
      for (const simulator of people.values()) {
        simulator.advance(at);
        if (summarise(simulator.state).active.some((a) => a.journey === journey)) inJourney += 1;
      }
      return { events, skipped, people: people.size, inJourney, tally: counter.result() };
    },
  };
}
