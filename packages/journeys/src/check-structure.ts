import type { Journey } from './journey';
import type { StateConfig, Transitions } from './machine-config';
import type { Problem } from './problem';
import { resolveTarget, statesOf } from './state-tree';

/**
 * Pure. What the schema cannot see one field at a time: initial states that exist, targets that
 * resolve, final states that stay final, and guards that read data only where an event carries it.
 */
export function checkStructure(file: string, journey: Journey): Problem[] {
  const { machine } = journey;
  const problems: Problem[] = [];
  const topNames = Object.keys(machine.states);
  if (!topNames.includes(machine.initial)) {
    problems.push({
      file,
      reason: `machine.initial: no state "${machine.initial}"; states: ${topNames.join(', ')}`,
    });
  }
  for (const { path, state } of statesOf(machine)) {
    const statePath = path.join('.');
    const add = (reason: string): void => {
      problems.push({ file, statePath, reason });
    };
    if (state.type === 'final') {
      for (const key of ['on', 'after', 'states', 'initial'] as const) {
        if (state[key] !== undefined) add(`a final state ends the journey there, so it cannot have "${key}"`);
      }
      continue;
    }
    checkChildren(state).forEach(add);
    const transitions: Array<[string, Transitions]> = [
      ...Object.entries(state.on ?? {}).map(([event, list]): [string, Transitions] => [
        `on["${event}"]`,
        list,
      ]),
      ...Object.entries(state.after ?? {}).map(([delay, list]): [string, Transitions] => [
        `after.${delay}`,
        list,
      ]),
    ];
    for (const [field, list] of transitions) {
      list.forEach((transition, index) => {
        const at = list.length > 1 ? `${field}[${index}]` : field;
        if (resolveTarget(machine, path, transition.target) === undefined) {
          add(
            `${at}: no state "${transition.target}" to go to from here (name a sibling state, ".child" for a state inside this one, or "#a.b" for a path from the top)`,
          );
        }
        if (field.startsWith('after') && transition.guard?.type === 'dataEquals') {
          add(
            `${at}: a dataEquals guard on "after" is never true, because a wait ending carries no data (a split may stand here)`,
          );
        }
      });
    }
  }
  return problems;
}

function checkChildren(state: StateConfig): string[] {
  if (state.states === undefined) {
    return state.initial === undefined
      ? []
      : [`"initial" names a child state, but this state has no "states"`];
  }
  const names = Object.keys(state.states);
  if (names.length === 0) return ['"states" is empty; remove it or add states'];
  if (state.initial === undefined)
    return [`a state with "states" needs "initial" (one of: ${names.join(', ')})`];
  if (!names.includes(state.initial)) {
    return [`initial: no state "${state.initial}" inside this one; states: ${names.join(', ')}`];
  }
  return [];
}
