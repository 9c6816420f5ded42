import { setup } from 'xstate';
import type { SnapshotFrom } from 'xstate';
import type { ActionConfig, SendParams } from './action-config';
import { parseDelayKey } from './delay-key';
import type { DataEqualsParams } from './guard-config';
import { dataEquals } from './guard-config';
import type { Journey } from './journey';
import type { StateConfig, Transitions } from './machine-config';
import { statesOf } from './state-tree';

/** What reaches a journey's machine: a CloudEvent's `type` and `data`, or a timer's `xstate.after.*` event. */
export interface JourneyEvent {
  type: string;
  data?: unknown;
}

/** The params of a compiled `send`: the file's params plus the state that sends (the command's `stage`). */
export interface StagedSendParams extends SendParams {
  stage: string;
}

function journeySetup(delays: Record<string, number>) {
  return setup({
    types: { context: {} as Record<string, never>, events: {} as JourneyEvent },
    // The engine reads sends from transition()'s actions and never executes them; nothing runs here.
    actions: { send: (_: unknown, _params: StagedSendParams) => undefined },
    guards: { dataEquals: ({ event }, params: DataEqualsParams) => dataEquals(event, params) },
    delays,
  });
}

/** A journey compiled to an XState v5 machine, to be stepped with `initialTransition` and `transition`. */
export type JourneyMachine = ReturnType<ReturnType<typeof journeySetup>['createMachine']>;
export type JourneySnapshot = SnapshotFrom<JourneyMachine>;

/**
 * Pure. Compiles a journey (already checked: see `checkJourney`) to an XState machine whose id is the
 * journey id. Each `after` key becomes a named delay of `setup`, so the config stays data and a wait
 * shows up in `transition()`'s actions with its length in milliseconds.
 */
export function compileJourney(journey: Journey): JourneyMachine {
  const delays: Record<string, number> = {};
  for (const { state } of statesOf(journey.machine)) {
    for (const key of Object.keys(state.after ?? {})) {
      const parsed = parseDelayKey(key);
      if ('ms' in parsed) delays[key] = parsed.ms;
    }
  }
  const states = toStates(journey.id, journey.machine.states, []);
  const config = { id: journey.id, context: {}, initial: journey.machine.initial, states };
  // The config is built from data the schema checked; XState's literal-level config types cannot follow it.
  return journeySetup(delays).createMachine(
    config as Parameters<ReturnType<typeof journeySetup>['createMachine']>[0],
  );
}

function toStates(
  journeyId: string,
  states: Record<string, StateConfig>,
  parent: readonly string[],
): Record<string, object> {
  return Object.fromEntries(
    Object.entries(states).map(([name, state]) => [name, toState(journeyId, state, [...parent, name])]),
  );
}

function toState(journeyId: string, state: StateConfig, path: readonly string[]): object {
  const stage = path.join('.');
  const transitions = (map: Record<string, Transitions> | undefined) =>
    map === undefined
      ? undefined
      : Object.fromEntries(
          Object.entries(map).map(([key, list]) => [
            key,
            list.map(({ target, guard }) => ({
              // `#a.b` in a journey file is a path from the top; XState wants the machine's id in front.
              target: target.startsWith('#') ? `#${journeyId}.${target.slice(1)}` : target,
              ...(guard === undefined ? {} : { guard }),
            })),
          ]),
        );
  const actions = (list: ActionConfig[] | undefined) =>
    list?.map((action) => ({ type: action.type, params: { ...action.params, stage } }));
  return withoutUndefined({
    type: state.type,
    description: state.description,
    entry: actions(state.entry),
    exit: actions(state.exit),
    on: transitions(state.on),
    after: transitions(state.after),
    initial: state.initial,
    states: state.states === undefined ? undefined : toStates(journeyId, state.states, path),
  });
}

function withoutUndefined(record: Record<string, unknown>): object {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}
