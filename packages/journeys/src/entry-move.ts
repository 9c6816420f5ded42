import { TactfulError } from '@tactful/events';
import { initialTransition } from 'xstate';
import { compileJourney } from './compile-journey';
import type { Journey } from './journey';
import type { JourneyMove } from './journey-stepper';
import { moveOf } from './journey-stepper';
import type { StateConfig } from './machine-config';

/**
 * Pure. What entering `stage` from outside the machine does, in XState's own order: the first move of a
 * customer who arrives there from another version of the journey (`migrate`). It is XState's answer for
 * a copy of the machine whose initial states lead to `stage` (`initialTransition`), so the entry sends
 * of the stage and of every state around it come with their `stage`, and their waits with the ids and
 * delays the machine itself gives them. Throws `TactfulError('internal')` when `stage` is not a state
 * path that a customer can be in (a state with states inside is entered at its initial one).
 */
export function entryMove(journey: Journey, stage: string): JourneyMove {
  const path = stage.split('.');
  const machine = { ...journey.machine, initial: path[0]!, states: leadTo(journey.machine.states, path) };
  const [first, actions] = initialTransition(compileJourney({ ...journey, machine }));
  const move = moveOf(undefined, { next: first, actions });
  if (move?.stage !== stage)
    throw new TactfulError('internal', `${journey.id}: "${stage}" is not a stage a customer can be in`);
  return move;
}

/** The states along `path`, each one's `initial` set to the next name of the path. */
function leadTo(states: Record<string, StateConfig>, path: readonly string[]): Record<string, StateConfig> {
  const [name, next, ...rest] = path;
  const state = name === undefined ? undefined : states[name];
  if (name === undefined || state === undefined || next === undefined || state.states === undefined)
    return states;
  return {
    ...states,
    [name]: { ...state, initial: next, states: leadTo(state.states, [next, ...rest]) },
  };
}
