import { getAdjacencyMap, serializeSnapshot } from '@xstate/graph';
import { assertNever } from '@tactful/events';
import { __unsafe_getAllOwnEventDescriptors, initialTransition, transition } from 'xstate';
import type { JourneyEvent, JourneySnapshot } from './compile-journey';
import { compileJourney } from './compile-journey';
import type { DataEqualsParams, GuardConfig, SplitParams } from './guard-config';
import type { GuardTests } from './guard-holds';
import { GUARD_TESTS } from './guard-holds';
import type { Journey } from './journey';
import { effectsOf } from './journey-effects';
import { statesOf } from './state-tree';

/** A send found while exploring: the template and the state that sends it. */
export interface GraphSend {
  template: string;
  stage: string;
}

/** One possible step: from a snapshot, on an event, to a snapshot, with the templates it sends. */
export interface GraphEdge {
  from: string;
  to: string;
  event: JourneyEvent;
  sends: GraphSend[];
}

/** Every snapshot a journey can reach (keyed by XState's graph serialization) and every step between them. */
export interface JourneyGraph {
  initial: string;
  initialSends: GraphSend[];
  snapshots: Map<string, JourneySnapshot>;
  edges: GraphEdge[];
  /** The `after` key of each wait's event type, to name it as the file does. */
  waits: Map<string, string>;
}

// While a file is checked, a split is a free choice: whichever side a customer could be on is explored.
// The check machine's split holds exactly for the probe customer named after its params, so an event
// offered "as" that customer takes the split's branch and every other event passes it by. (Two splits
// with the same params always agree, as they do for real customers.)
const SPLIT_PROBE = '\u0000split ';
const splitProbe = (params: SplitParams): string =>
  `${SPLIT_PROBE}${params.percent}%${params.salt === undefined ? '' : ` salt ${params.salt}`}`;
const CHECK_TESTS: GuardTests = {
  ...GUARD_TESTS,
  split: (params, input) => input.customerId === splitProbe(params),
};

/**
 * Pure. Explores the journey's machine with @xstate/graph, offering in every snapshot each event it
 * listens to: once without data (no guard holds), once per `dataEquals` guard of that event type with
 * data that makes the guard hold, and once per `split` guard of that event type or wait as a customer
 * the split takes, so every transition a guard allows is taken (a split of 0 % or 100 % included: its
 * percent may change in the next version). Waits are offered as their `xstate.after.*` events, as if
 * any wait could end at any time. Each step is then replayed with XState's `transition()` to collect
 * what it sends.
 */
export function buildJourneyGraph(journey: Journey): JourneyGraph {
  const machine = compileJourney(journey, CHECK_TESTS);
  const offered = guardOffersByEvent(journey);
  const events = (snapshot: JourneySnapshot): JourneyEvent[] => [
    ...__unsafe_getAllOwnEventDescriptors(snapshot).flatMap((type) => [
      { type },
      ...(offered.get(type) ?? []).map((offer) => ({ type, ...offer })),
    ]),
  ];
  const [first, firstActions] = initialTransition(machine);
  const adjacency = getAdjacencyMap(machine, { events, fromState: first });
  const snapshots = new Map<string, JourneySnapshot>();
  const edges: GraphEdge[] = [];
  for (const [from, { state, transitions }] of Object.entries(adjacency)) {
    snapshots.set(from, state);
    for (const { event } of Object.values<{ event: JourneyEvent }>(transitions)) {
      const [next, actions] = transition(machine, state, event);
      edges.push({ from, to: serializeSnapshot(next), event, sends: sendsIn(actions) });
    }
  }
  const waits = new Map<string, string>();
  for (const { path, state } of statesOf(journey.machine)) {
    for (const key of Object.keys(state.after ?? {})) {
      // XState names the event of a wait after the delay and the id of the state that waits.
      waits.set(`xstate.after.${key}.${machine.id}.${path.join('.')}`, key);
    }
  }
  return { initial: serializeSnapshot(first), initialSends: sendsIn(firstActions), snapshots, edges, waits };
}

function sendsIn(actions: Parameters<typeof effectsOf>[0]): GraphSend[] {
  return effectsOf(actions).flatMap((effect) =>
    effect.type === 'send' ? [{ template: effect.template, stage: effect.stage }] : [],
  );
}

/** What to add to an event so that a guard holds: its data, or (a split) the customer it takes. */
type GuardOffer = { data: unknown } | { customerId: string };

function offerFor(guard: GuardConfig): GuardOffer {
  switch (guard.type) {
    case 'dataEquals':
      return { data: dataHolding(guard.params) };
    case 'split':
      return { customerId: splitProbe(guard.params) };
    default:
      return assertNever(guard, 'guard');
  }
}

function guardOffersByEvent(journey: Journey): Map<string, GuardOffer[]> {
  const byEvent = new Map<string, GuardOffer[]>();
  const add = (type: string, guard: GuardConfig | undefined) => {
    if (guard !== undefined) byEvent.set(type, [...(byEvent.get(type) ?? []), offerFor(guard)]);
  };
  for (const { path, state } of statesOf(journey.machine)) {
    for (const [type, list] of Object.entries(state.on ?? {})) for (const { guard } of list) add(type, guard);
    // a wait's event is named after its delay and the state that waits (see `waits` below)
    for (const [key, list] of Object.entries(state.after ?? {}))
      for (const { guard } of list) add(`xstate.after.${key}.${journey.id}.${path.join('.')}`, guard);
  }
  return byEvent;
}

/** The smallest `data` in which `path` holds `value`: `fields.topic = x` gives `{ fields: { topic: x } }`. */
function dataHolding({ path, value }: DataEqualsParams): unknown {
  return path
    .split('.')
    .reverse()
    .reduce<unknown>((inner, key) => ({ [key]: inner }), value);
}

/** Pure. The dotted paths of the states active in a snapshot's value, parents first; the last is the leaf. */
export function activeStatePaths(value: unknown, parent = ''): string[] {
  if (typeof value === 'string') return [parent === '' ? value : `${parent}.${value}`];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([name, child]) => {
    const path = parent === '' ? name : `${parent}.${name}`;
    return [path, ...activeStatePaths(child, path)];
  });
}

/** Pure. Where a snapshot is, for a person: its deepest active state (`checkIn.reminder`), or `start`. */
export function describeSnapshot(graph: JourneyGraph, key: string): string {
  const snapshot = graph.snapshots.get(key);
  return snapshot === undefined ? 'start' : (activeStatePaths(snapshot.value).at(-1) ?? 'start');
}

/** Pure. An event as a journey file would name it: `email.opened`, `after P3D`. */
export function describeEvent(graph: JourneyGraph, event: JourneyEvent): string {
  const wait = graph.waits.get(event.type);
  const split = event.customerId?.startsWith(SPLIT_PROBE)
    ? ` (in the split ${event.customerId.slice(SPLIT_PROBE.length)})`
    : '';
  if (wait !== undefined) return `after ${wait}${split}`;
  return event.data === undefined ? `${event.type}${split}` : `${event.type} ${JSON.stringify(event.data)}`;
}
