import { setup } from 'xstate';
import type { SnapshotFrom } from 'xstate';
import type { ActionConfig, SendParams } from './action-config';
import { parseDelayKey } from './delay-key';
import type { GuardConfig } from './guard-config';
import { GUARD_TYPES } from './guard-config';
import type { GuardTests } from './guard-holds';
import { GUARD_TESTS, guardHolds } from './guard-holds';
import type { Journey } from './journey';
import type { StateConfig, Transitions } from './machine-config';
import { statesOf } from './state-tree';

/** What reaches a journey's machine: a CloudEvent's `type` and `data`, or a timer's `xstate.after.*` event. */
export interface JourneyEvent {
  type: string;
  data?: unknown;
  /** The customer being stepped, for guards that decide per customer; absent while a file is checked. */
  customerId?: string;
}

/** The params of a compiled `send`: the file's params plus the state that sends (the command's `stage`). */
export interface StagedSendParams extends SendParams {
  stage: string;
}

/** A guard implementation as `setup` takes it: XState passes the event and the guard's params. */
type GuardImplementation = (args: { event: JourneyEvent }, params: never) => boolean;

function journeySetup(delays: Record<string, number>, guards: Record<string, GuardImplementation>) {
  return setup({
    types: { context: {} as Record<string, never>, events: {} as JourneyEvent },
    // The engine reads sends from transition()'s actions and never executes them; nothing runs here.
    actions: { send: (_: unknown, _params: StagedSendParams) => undefined },
    guards,
    delays,
  });
}

/** A journey compiled to an XState v5 machine, to be stepped with `initialTransition` and `transition`. */
export type JourneyMachine = ReturnType<ReturnType<typeof journeySetup>['createMachine']>;
export type JourneySnapshot = SnapshotFrom<JourneyMachine>;

/**
 * Pure. Compiles a journey (already checked: see `checkJourney`) to an XState machine whose id is the
 * journey id. Each `after` key becomes a named delay of `setup`, so the config stays data and a wait
 * shows up in `transition()`'s actions with its length in milliseconds. Every guard is tested by
 * `guardHolds` with the journey id and the event's `customerId` (`tests` replaces the registry in tests).
 */
export function compileJourney(journey: Journey, tests: GuardTests = GUARD_TESTS): JourneyMachine {
  const guards = Object.fromEntries(
    GUARD_TYPES.map((type): [string, GuardImplementation] => [
      type,
      ({ event }, params) =>
        guardHolds(
          { type, params } as GuardConfig,
          {
            journeyId: journey.id,
            customerId: event.customerId ?? '',
            event,
          },
          tests,
        ),
    ]),
  );
  return machineOf(journey, guards, (guard) => guard);
}

/**
 * Pure. The same machine, with each guard replaced by what `guardAs` makes of it and tested by `guards`:
 * how the compiler of step tables (`compile-steps.ts`) asks XState what a guard's outcome leads to.
 */
export function machineOf(
  journey: Journey,
  guards: Record<string, GuardImplementation>,
  guardAs: (guard: GuardConfig) => { type: string; params: unknown },
): JourneyMachine {
  const delays: Record<string, number> = {};
  for (const { state } of statesOf(journey.machine)) {
    for (const key of Object.keys(state.after ?? {})) {
      const parsed = parseDelayKey(key);
      if ('ms' in parsed) delays[key] = parsed.ms;
    }
  }
  const states = toStates(journey.id, journey.machine.states, [], guardAs);
  const config = { id: journey.id, context: {}, initial: journey.machine.initial, states };
  // The config is built from data the schema checked; XState's literal-level config types cannot follow it.
  return journeySetup(delays, guards).createMachine(
    config as Parameters<ReturnType<typeof journeySetup>['createMachine']>[0],
  );
}

type GuardAs = (guard: GuardConfig) => { type: string; params: unknown };

function toStates(
  journeyId: string,
  states: Record<string, StateConfig>,
  parent: readonly string[],
  guardAs: GuardAs,
): Record<string, object> {
  return Object.fromEntries(
    Object.entries(states).map(([name, state]) => [
      name,
      toState(journeyId, state, [...parent, name], guardAs),
    ]),
  );
}

function toState(journeyId: string, state: StateConfig, path: readonly string[], guardAs: GuardAs): object {
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
              ...(guard === undefined ? {} : { guard: guardAs(guard) }),
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
    states: state.states === undefined ? undefined : toStates(journeyId, state.states, path, guardAs),
  });
}

function withoutUndefined(record: Record<string, unknown>): object {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}
