// Test support (not exported from index.ts): random journeys with nested states, guarded transitions
// (data guards on events, splits on events and waits),
// waits, entry and exit sends and final states at any depth, for properties that must hold of every
// journey a file may express. They pass the structural checks, not necessarily the graph checks (a
// random journey may well send a template twice), which is all XState needs to build the machine.
import fc from 'fast-check';
import { Journey } from './journey';

const RANDOM_EVENTS = ['email.opened', 'email.clicked', 'page.viewed'] as const;
const WAITS = ['PT1H', 'P1D', '5000'] as const;
const GUARD_PATHS = ['k', 'fields.k'] as const;
export const GUARD_VALUES = ['a', 'b', 1, true] as const;
const SPLIT_PERCENTS = [0, 30, 50, 100] as const;
const SPLIT_SALTS = [undefined, 'x'] as const;

const transitionSpec = fc.record({
  target: fc.nat(),
  relative: fc.boolean(),
  guard: fc.option(fc.record({ split: fc.boolean(), path: fc.nat(), value: fc.nat() }), { nil: undefined }),
});

const stateSpec = fc.record({
  final: fc.nat({ max: 4 }),
  entry: fc.option(fc.nat({ max: 5 }), { nil: undefined }),
  exit: fc.option(fc.nat({ max: 5 }), { nil: undefined }),
  on: fc.dictionary(
    fc.constantFrom(...RANDOM_EVENTS),
    fc.array(transitionSpec, { minLength: 1, maxLength: 3 }),
    {
      maxKeys: 2,
    },
  ),
  after: fc.option(fc.tuple(fc.constantFrom(...WAITS), transitionSpec), { nil: undefined }),
});

type StateSpec = typeof stateSpec extends fc.Arbitrary<infer T> ? T : never;
type TransitionSpec = typeof transitionSpec extends fc.Arbitrary<infer T> ? T : never;

/** The state paths of a tree: 2–4 states at the top, some with 2–3 inside, a few of those with 2 more. */
const shape = fc
  .tuple(
    fc.integer({ min: 2, max: 4 }),
    fc.array(fc.constantFrom(0, 0, 2, 3), { minLength: 4, maxLength: 4 }),
    fc.array(fc.constantFrom(0, 0, 0, 2), { minLength: 12, maxLength: 12 }),
  )
  .map(([top, children, grandChildren]) => {
    const paths: string[][] = [];
    let nested = 0;
    for (let i = 0; i < top; i++) {
      paths.push([`s${i}`]);
      for (let j = 0; j < (children[i] ?? 0); j++) {
        paths.push([`s${i}`, `c${j}`]);
        const count = grandChildren[nested++] ?? 0;
        for (let k = 0; k < count; k++) paths.push([`s${i}`, `c${j}`, `g${k}`]);
      }
    }
    return paths;
  });

/** Random journeys, already parsed by the journey schema. */
export const randomJourney: fc.Arbitrary<Journey> = shape.chain((paths) =>
  fc
    .array(stateSpec, { minLength: paths.length, maxLength: paths.length })
    .map((specs) => journeyOf(paths, specs)),
);

const key = (path: readonly string[]): string => path.join('.');

/** The target of a transition from `source`: absolute (`#id`) or relative (`.child`, `sibling`). */
function targetOf(paths: readonly string[][], source: readonly string[], spec: TransitionSpec): string {
  const to = paths[spec.target % paths.length] as string[];
  if (!spec.relative) return `#${key(to)}`;
  const within = (outer: readonly string[]) =>
    to.length > outer.length && key(to.slice(0, outer.length)) === key(outer);
  // `.child` is below the source; `name` (or `name.child`) is a sibling of the source, itself included.
  if (to.length > source.length && within(source)) return `.${key(to.slice(source.length))}`;
  if (within(source.slice(0, -1))) return key(to.slice(source.length - 1));
  return `#${key(to)}`;
}

function guardOf(guard: NonNullable<TransitionSpec['guard']>) {
  if (!guard.split) {
    return {
      type: 'dataEquals',
      params: {
        path: GUARD_PATHS[guard.path % GUARD_PATHS.length],
        value: GUARD_VALUES[guard.value % GUARD_VALUES.length],
      },
    };
  }
  const salt = SPLIT_SALTS[guard.value % SPLIT_SALTS.length];
  return {
    type: 'split',
    params: { percent: SPLIT_PERCENTS[guard.path % SPLIT_PERCENTS.length], ...(salt ? { salt } : {}) },
  };
}

function journeyOf(paths: readonly string[][], specs: readonly StateSpec[]): Journey {
  const hasChildren = (path: readonly string[]) =>
    paths.some((other) => other.length === path.length + 1 && key(other).startsWith(`${key(path)}.`));
  const transition = (source: readonly string[], spec: TransitionSpec) => ({
    target: targetOf(paths, source, spec),
    ...(spec.guard === undefined ? {} : { guard: guardOf(spec.guard) }),
  });
  const stateOf = (path: readonly string[]): Record<string, unknown> => {
    const spec = specs[paths.findIndex((p) => key(p) === key(path))] as StateSpec;
    const send = (n: number | undefined) =>
      n === undefined ? {} : { type: 'send', params: { template: `t${n}` } };
    const actions = {
      ...(spec.entry === undefined ? {} : { entry: send(spec.entry) }),
      ...(spec.exit === undefined ? {} : { exit: send(spec.exit) }),
    };
    const children = paths.filter((p) => p.length === path.length + 1 && key(p).startsWith(`${key(path)}.`));
    // The first state is never final, or the journey would end as it starts.
    if (children.length === 0 && spec.final === 0 && key(path) !== 's0') return { type: 'final', ...actions };
    return {
      ...actions,
      ...(Object.keys(spec.on).length === 0
        ? {}
        : {
            on: Object.fromEntries(
              Object.entries(spec.on).map(([event, list]) => [event, list.map((t) => transition(path, t))]),
            ),
          }),
      // A guard that reads data is refused on a wait (a wait ending carries none); a split may stand there.
      ...(spec.after === undefined
        ? {}
        : {
            after: {
              [spec.after[0]]: transition(path, {
                ...spec.after[1],
                guard: spec.after[1].guard?.split === true ? spec.after[1].guard : undefined,
              }),
            },
          }),
      ...(hasChildren(path)
        ? {
            initial: (children[0] as string[]).at(-1),
            states: Object.fromEntries(children.map((child) => [child.at(-1), stateOf(child)])),
          }
        : {}),
    };
  };
  return Journey.parse({
    id: 'random',
    version: 1,
    name: 'Random',
    trigger: { event: 'form.submitted' },
    reentry: 'never',
    haltOn: [],
    machine: {
      initial: 's0',
      states: Object.fromEntries(paths.filter((p) => p.length === 1).map((p) => [p[0], stateOf(p)])),
    },
  });
}
