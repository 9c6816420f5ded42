import { TactfulError } from '@tactful/events';
import { __unsafe_getAllOwnEventDescriptors, initialTransition, transition } from 'xstate';
import type { JourneySnapshot } from './compile-journey';
import { machineOf } from './compile-journey';
import type { GuardConfig } from './guard-config';
import type { GuardTests } from './guard-holds';
import { GUARD_TESTS, guardHolds } from './guard-holds';
import type { Journey } from './journey';
import type { JourneyMove, JourneyStepper } from './journey-stepper';
import { moveOf, stageOfValue } from './journey-stepper';

/** A guarded transition as XState tries it: if `guard` holds (and none before it did), `move` happens. */
export interface CompiledBranch {
  readonly guard: GuardConfig;
  /** Undefined when taking the transition changes nothing (a self-transition that sends nothing). */
  readonly move: JourneyMove | undefined;
}

/** What one event type does at one stage: guarded branches in XState's order, then the fallback. */
export interface CompiledChoice {
  readonly branches: readonly CompiledBranch[];
  /** When no guard holds: an unguarded transition's move, or undefined when nothing happens. */
  readonly otherwise: JourneyMove | undefined;
}

/** One stage of a compiled journey. */
export interface CompiledStage {
  /** The journey is over at this stage (a final state at the top). */
  readonly done: boolean;
  /**
   * By event type: the public types the stage (or a state around it) listens to, and the waits of the
   * stage and the states around it, by their XState event type (`xstate.after.<key>.<journey>.<path>`,
   * which is also the wait's id). A type absent here does nothing at this stage.
   */
  readonly on: ReadonlyMap<string, CompiledChoice>;
}

/** A journey compiled to lookups, stepped with no XState call; `JourneyStepper` over them. */
export interface CompiledJourney extends JourneyStepper {
  readonly initial: JourneyMove;
  /** Every stage a customer can reach, by its path. */
  readonly stages: ReadonlyMap<string, CompiledStage>;
}

/**
 * Pure. Compiles a journey to step tables at load, with XState as the definition: the machine is built
 * as `compileJourney` builds it, except that each guard is replaced by a probe that XState asks in its
 * own order and that holds exactly when told to. From the initial snapshot, every reachable stage is
 * explored; for each event type the stage listens to (`on` and `after`, its own and its ancestors'),
 * `transition()` is called once with every probe false (which guards XState tried, in order, and what
 * happens when none holds) and once per guard tried with only that guard true. So each (stage, event
 * type, first guard that holds) maps to XState's own next stage and actions, and at run time only the
 * guards are evaluated, by name with their params (`guardHolds`; `tests` replaces the registry in tests).
 */
export function compileSteps(journey: Journey, tests: GuardTests = GUARD_TESTS): CompiledJourney {
  const guards: GuardConfig[] = [];
  const probe = { pass: -1, asked: [] as number[] };
  const machine = machineOf(
    journey,
    {
      probe: (_, params: { candidate: number }) => {
        probe.asked.push(params.candidate);
        return params.candidate === probe.pass;
      },
    },
    (guard) => {
      guards.push(guard);
      return { type: 'probe', params: { candidate: guards.length - 1 } };
    },
  );
  const attempt = (snapshot: JourneySnapshot, type: string, pass: number) => {
    probe.pass = pass;
    probe.asked = [];
    const [next, actions] = transition(machine, snapshot, { type });
    return { next, actions, asked: probe.asked };
  };

  const [first, firstActions] = initialTransition(machine);
  const stages = new Map<string, CompiledStage>();
  const queue: JourneySnapshot[] = [first];
  for (let snapshot = queue.shift(); snapshot !== undefined; snapshot = queue.shift()) {
    const stage = stageOfValue(snapshot.value);
    if (stages.has(stage)) continue;
    const on = new Map<string, CompiledChoice>();
    for (const type of __unsafe_getAllOwnEventDescriptors(snapshot)) {
      const none = attempt(snapshot, type, -1);
      const branches = none.asked.map((candidate): CompiledBranch => {
        const taken = attempt(snapshot, type, candidate);
        if (taken.asked.at(-1) !== candidate) {
          throw new TactfulError(
            'internal',
            `${journey.id}: XState did not take guard ${candidate} on ${type}`,
          );
        }
        queue.push(taken.next);
        return Object.freeze({ guard: guards[candidate] as GuardConfig, move: moveOf(stage, taken) });
      });
      queue.push(none.next);
      on.set(type, Object.freeze({ branches: Object.freeze(branches), otherwise: moveOf(stage, none) }));
    }
    stages.set(stage, Object.freeze({ done: snapshot.status === 'done', on }));
  }
  const initial = moveOf(undefined, { next: first, actions: firstActions });
  if (initial === undefined) throw new TactfulError('internal', `${journey.id}: no initial stage`);
  return steppingOver(journey.id, initial, stages, tests);
}

/**
 * Pure. Whether a `split` guard takes part in what an event of `type` does at `stage` (XState asks it
 * there): a move made there is a branch of the journey's experiment, which the engine records.
 */
export function splitDecides(compiled: CompiledJourney, stage: string, type: string): boolean {
  const choice = compiled.stages.get(stage)?.on.get(type);
  return choice !== undefined && choice.branches.some((branch) => branch.guard.type === 'split');
}

function steppingOver(
  journeyId: string,
  initial: JourneyMove,
  stages: ReadonlyMap<string, CompiledStage>,
  tests: GuardTests,
): CompiledJourney {
  const stageAt = (stage: string): CompiledStage => {
    const found = stages.get(stage);
    if (found === undefined) {
      throw new TactfulError('internal', `journey ${journeyId} has no stage "${stage}"`);
    }
    return found;
  };
  return {
    journeyId,
    initial,
    stages,
    start: () => initial,
    next(stage, event, customerId) {
      const choice = stageAt(stage).on.get(event.type);
      if (choice === undefined) return undefined;
      if (choice.branches.length > 0) {
        const input = { journeyId, customerId, event };
        for (const branch of choice.branches) if (guardHolds(branch.guard, input, tests)) return branch.move;
      }
      return choice.otherwise;
    },
    isFinal: (stage) => stageAt(stage).done,
  };
}
