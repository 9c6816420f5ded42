import type { MachineConfig, StateConfig } from './machine-config';

/** A state of a journey's machine with its path from the top (`['checkIn', 'reminder']`). */
export interface StateEntry {
  path: readonly string[];
  state: StateConfig;
}

/** Pure. Every state of the machine, parents before their children, in file order. */
export function statesOf(machine: MachineConfig): StateEntry[] {
  const entries: StateEntry[] = [];
  const walk = (states: Record<string, StateConfig>, parent: readonly string[]): void => {
    for (const [name, state] of Object.entries(states)) {
      const path = [...parent, name];
      entries.push({ path, state });
      if (state.states !== undefined) walk(state.states, path);
    }
  };
  walk(machine.states, []);
  return entries;
}

/**
 * Pure. The path of the state a transition's target names, or undefined when there is none, with
 * XState's meaning: `name` (or `name.child`) is a sibling of the source state, `.child` is below the
 * source, and `#a.b` is a path from the top (compiled to XState's `#<machine id>.a.b`).
 */
export function resolveTarget(
  machine: MachineConfig,
  source: readonly string[],
  target: string,
): readonly string[] | undefined {
  const [base, relative] = target.startsWith('#')
    ? [[], target.slice(1)]
    : target.startsWith('.')
      ? [source, target.slice(1)]
      : [source.slice(0, -1), target];
  const path = [...base, ...relative.split('.')];
  return stateAt(machine, path) === undefined ? undefined : path;
}

/** Pure. The state at a path, or undefined. */
export function stateAt(machine: MachineConfig, path: readonly string[]): StateConfig | undefined {
  let states: Record<string, StateConfig> | undefined = machine.states;
  let state: StateConfig | undefined;
  for (const name of path) {
    state = states !== undefined && Object.hasOwn(states, name) ? states[name] : undefined;
    if (state === undefined) return undefined;
    states = state.states;
  }
  return state;
}
