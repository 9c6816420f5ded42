import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { __unsafe_getAllOwnEventDescriptors, initialTransition, transition } from 'xstate';
import { describe, expect, it } from 'vitest';
import { checkStructure } from './check-structure';
import type { JourneyMachine, JourneySnapshot } from './compile-journey';
import { compileJourney } from './compile-journey';
import type { CompiledJourney } from './compile-steps';
import { compileSteps } from './compile-steps';
import { guardHolds } from './guard-holds';
import type { Journey } from './journey';
import type { ActionLike, JourneyAction } from './journey-effects';
import { actionsOf } from './journey-effects';
import { valueOfStage } from './journey-stepper';
import { parseJourney } from './parse-journey';
import { GUARD_VALUES, randomJourney } from './random-journey';
import { statesOf } from './state-tree';

// A ceiling for a machine shared with other work, not a timing claim: these run in seconds.
const BUSY_MACHINE_MS = 60_000;

// The claim: for every journey and every sequence of events, the compiled step tables and XState's own
// initialTransition()/transition() agree on the state, the actions (sends with their params, waits
// started and cancelled, in order) and the pending waits after every step.

// Enough customers that every split of the random journeys (0, 30, 50, 100 %, two salts) holds for some
// and not for others.
const CUSTOMERS = ['cust-1', 'cust-2', 'cust-3', 'cust-4', 'cust-5', 'cust-6', 'cust-7', 'cust-8'] as const;
/** Public types no journey here listens to, and a type no one has ever heard of. */
const STRANGERS = ['email.replied', 'contact.opted_in', 'no.such.event'] as const;

/** One thing that happens to the customer; indices are taken modulo what the journey offers. */
const happening = fc.record({
  wait: fc.boolean(),
  pick: fc.nat(),
  data: fc.nat(),
  customer: fc.nat({ max: CUSTOMERS.length - 1 }),
});
type Happening = typeof happening extends fc.Arbitrary<infer T> ? T : never;

/** What a journey can be given: the events it names, strangers, its waits, and data for its guards. */
function offers(journey: Journey, machine: JourneyMachine) {
  const named = new Set<string>();
  const waits: string[] = [];
  const junk: unknown[] = [undefined, {}, 'not an object', { k: null }];
  for (const value of GUARD_VALUES) junk.push({ k: value }, { fields: { k: value } });
  // By event type: data that makes each of its guards hold, and data with the same path that does not.
  const data = new Map<string, unknown[]>();
  for (const { path, state } of statesOf(journey.machine)) {
    for (const key of Object.keys(state.after ?? {})) {
      waits.push(`xstate.after.${key}.${machine.id}.${path.join('.')}`);
    }
    for (const [type, list] of Object.entries(state.on ?? {})) {
      named.add(type);
      for (const { guard } of list) {
        // Data for the guards that read the event; the others decide by who is stepped (the customers vary).
        if (guard?.type !== 'dataEquals') continue;
        const at = (value: unknown) =>
          guard.params.path.split('.').reduceRight<unknown>((inner, name) => ({ [name]: inner }), value);
        data.set(type, [
          ...(data.get(type) ?? []),
          at(guard.params.value),
          at(`not ${String(guard.params.value)}`),
        ]);
      }
    }
  }
  return {
    // One pick in five is an event the journey does not name, one is any it names, the others one that
    // the current state listens to.
    event: (pick: number, snapshot: JourneySnapshot): string => {
      const listened = __unsafe_getAllOwnEventDescriptors(snapshot).filter((type) => named.has(type));
      const pool =
        pick % 5 === 0 || named.size === 0
          ? STRANGERS
          : pick % 5 === 1 || listened.length === 0
            ? [...named]
            : listened;
      return pool[Math.floor(pick / 5) % pool.length] as string;
    },
    data: (type: string, pick: number): unknown => {
      const pool = [...(data.get(type) ?? []), ...junk];
      return pool[pick % pool.length];
    },
    waits,
  };
}

function applyTimers(pending: Map<string, number>, actions: readonly JourneyAction[]): void {
  for (const action of actions) {
    if (action.type === 'schedule') pending.set(action.id, action.delay);
    if (action.type === 'cancel') pending.delete(action.id);
  }
}

/** What a life went through, to show that the lives are not all alike. */
interface Tally {
  /** A split decided the move: the customer was in it, or passed it by. */
  splitHeld: number;
  splitPassed: number;
  guardHeld: number;
  noGuardHeld: number;
  waitMoved: number;
  nothing: number;
  done: number;
}

const newTally = (): Tally => ({
  splitHeld: 0,
  splitPassed: 0,
  guardHeld: 0,
  noGuardHeld: 0,
  waitMoved: 0,
  nothing: 0,
  done: 0,
});

/** Drives both with the same happenings and requires the same result at every step. */
function agree(
  journey: Journey,
  happenings: readonly Happening[],
  machine: JourneyMachine = compileJourney(journey),
  compiled: CompiledJourney = compileSteps(journey),
  tally: Tally = newTally(),
): Tally {
  const offered = offers(journey, machine);
  const xstatePending = new Map<string, number>();
  const compiledPending = new Map<string, number>();

  let [snapshot, xstateActions]: [JourneySnapshot, readonly ActionLike[]] = initialTransition(machine);
  const start = compiled.start();
  let stage = start.stage;
  const compare = (actions: readonly JourneyAction[], done: boolean) => {
    expect(valueOfStage(stage)).toEqual(snapshot.value);
    expect(done).toBe(snapshot.status === 'done');
    expect(actions).toEqual(actionsOf(xstateActions));
    applyTimers(xstatePending, actionsOf(xstateActions));
    applyTimers(compiledPending, actions);
    expect(compiledPending).toEqual(xstatePending);
  };
  compare(start.actions, start.done);

  for (const h of happenings) {
    // A wait: mostly one that is pending, else any wait of the journey (stale, or never started).
    const pending = [...compiledPending.keys()];
    const waitFrom = pending.length > 0 && h.pick % 4 !== 0 ? pending : offered.waits;
    const event =
      h.wait && waitFrom.length > 0
        ? { type: waitFrom[h.pick % waitFrom.length] as string }
        : {
            type: offered.event(h.pick, snapshot),
            data: offered.data(offered.event(h.pick, snapshot), h.data),
          };
    const customerId = CUSTOMERS[h.customer] as string;
    [snapshot, xstateActions] = transition(machine, snapshot, { ...event, customerId });
    const branches = compiled.stages.get(stage)?.on.get(event.type)?.branches ?? [];
    const move = compiled.next(stage, event, customerId);
    if (branches.some((branch) => branch.guard.type === 'split')) {
      const held = branches.find((branch) =>
        guardHolds(branch.guard, { journeyId: journey.id, customerId, event }),
      );
      if (held?.guard.type === 'split') tally.splitHeld += 1;
      else tally.splitPassed += 1;
    }
    if (move === undefined) tally.nothing += 1;
    else if (event.type.startsWith('xstate.after.')) tally.waitMoved += 1;
    else if (branches.some((branch) => branch.move === move)) tally.guardHeld += 1;
    else if (branches.length > 0) tally.noGuardHeld += 1;
    if (move !== undefined) stage = move.stage;
    compare(move?.actions ?? [], move?.done ?? compiled.isFinal(stage));
  }
  if (compiled.isFinal(stage)) tally.done += 1;
  return tally;
}

const examples = (dir: URL): Journey[] =>
  readdirSync(dir)
    .filter((name) => /\.(ya?ml|json)$/.test(name))
    .map((name) => {
      const { journey, problems } = parseJourney(readFileSync(new URL(name, dir), 'utf8'), name);
      if (journey === undefined || problems.length > 0) throw new Error(JSON.stringify(problems));
      return journey;
    });

const EXAMPLES = [
  ...examples(new URL('../../../journeys/', import.meta.url)),
  ...examples(new URL('./__fixtures__/good/', import.meta.url)),
  ...examples(new URL('./__fixtures__/', import.meta.url)),
];

describe('compiled steps agree with XState', () => {
  it('loads the examples of the repository and the fixtures', () => {
    expect(EXAMPLES.map((journey) => journey.id)).toContain('whitepaper-nurture');
    expect(EXAMPLES.map((journey) => journey.id)).toContain('trial-onboarding');
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(10);
  });

  it.each(EXAMPLES.map((journey) => [`${journey.id} v${journey.version}`, journey] as const))(
    'on random lives of %s',
    (_, journey) => {
      const machine = compileJourney(journey);
      const compiled = compileSteps(journey);
      fc.assert(
        fc.property(fc.array(happening, { maxLength: 30 }), (happenings) => {
          agree(journey, happenings, machine, compiled);
        }),
        { numRuns: 200 },
      );
    },
    BUSY_MACHINE_MS,
  );

  it(
    'on random lives of random journeys: nested states, guards, waits, exits, finals at any depth',
    () => {
      fc.assert(
        fc.property(randomJourney, fc.array(happening, { maxLength: 40 }), (journey, happenings) => {
          expect(checkStructure('random.yaml', journey)).toEqual([]);
          agree(journey, happenings);
        }),
        { numRuns: 300 },
      );
    },
    BUSY_MACHINE_MS,
  );

  it(
    'the random lives take guarded branches and fallbacks, both sides of splits, fire waits, ignore events and end',
    () => {
      const tally = newTally();
      const lives = fc.sample(
        fc.tuple(randomJourney, fc.array(happening, { minLength: 20, maxLength: 40 })),
        {
          numRuns: 200,
          seed: 42,
        },
      );
      for (const [journey, happenings] of lives) agree(journey, happenings, undefined, undefined, tally);
      expect(Math.min(...Object.values(tally))).toBeGreaterThanOrEqual(10);
    },
    BUSY_MACHINE_MS,
  );
});
