import { getSimplePaths, serializeSnapshot } from '@xstate/graph';
import fc from 'fast-check';
import { __unsafe_getAllOwnEventDescriptors, initialTransition, transition } from 'xstate';
import { describe, expect, it } from 'vitest';
import { checkJourney } from './check-journey';
import type { JourneyEvent, JourneyMachine, JourneySnapshot } from './compile-journey';
import { compileJourney } from './compile-journey';
import { Journey } from './journey';
import { effectsOf } from './journey-effects';

const EVENTS = ['email.opened', 'email.clicked', 'page.viewed'] as const;
const WAITS = ['P1D', 'PT1H'] as const;
const TEMPLATES = ['t0', 't1', 't2'] as const;

/** Small random machines: a few states, each maybe sending one of three templates, with random exits. */
const randomJourney = fc.integer({ min: 2, max: 6 }).chain((size) => {
  const target = fc.integer({ min: 0, max: size - 1 }).map((index) => `s${index}`);
  const state = fc.record({
    final: fc.boolean(),
    template: fc.option(fc.constantFrom(...TEMPLATES), { nil: undefined }),
    on: fc.dictionary(fc.constantFrom(...EVENTS), target, { maxKeys: 2 }),
    after: fc.dictionary(fc.constantFrom(...WAITS), target, { maxKeys: 1 }),
  });
  return fc.array(state, { minLength: size, maxLength: size }).map((states) =>
    Journey.parse({
      id: 'random',
      version: 1,
      name: 'Random',
      trigger: { event: 'form.submitted' },
      reentry: 'never',
      haltOn: [],
      machine: {
        initial: 's0',
        states: Object.fromEntries(
          states.map((config, index) => [
            `s${index}`,
            {
              ...(config.template === undefined
                ? {}
                : { entry: { type: 'send', params: { template: config.template } } }),
              ...(config.final && index > 0 ? { type: 'final' } : { on: config.on, after: config.after }),
            },
          ]),
        ),
      },
    }),
  );
});

/**
 * The slow, obvious answer: list every simple path from the start with @xstate/graph and replay it with
 * transition(); then close every loop found at the end of a path and replay it twice around. A template
 * sent twice anywhere on those walks means the journey could repeat it.
 */
function repeatsByPathEnumeration(machine: JourneyMachine): boolean {
  const [first, firstActions] = initialTransition(machine);
  const sendsOf = (actions: Parameters<typeof effectsOf>[0]) =>
    effectsOf(actions).flatMap((effect) => (effect.type === 'send' ? [effect.template] : []));
  const replay = (events: readonly JourneyEvent[]): string[] => {
    let snapshot: JourneySnapshot = first;
    const sent = sendsOf(firstActions);
    for (const event of events) {
      const [next, actions] = transition(machine, snapshot, event);
      sent.push(...sendsOf(actions));
      snapshot = next;
    }
    return sent;
  };
  const repeats = (sent: readonly string[]) => new Set(sent).size < sent.length;
  for (const path of getSimplePaths(machine)) {
    const events = path.steps.slice(1).map((step) => step.event);
    if (repeats(replay(events))) return true;
    const visited = path.steps.map((step) => serializeSnapshot(step.state));
    for (const type of __unsafe_getAllOwnEventDescriptors(path.state)) {
      const back = visited.indexOf(serializeSnapshot(transition(machine, path.state, { type })[0]));
      if (back === -1) continue;
      const loop = [...events.slice(back), { type }];
      if (repeats(replay([...events, { type }, ...loop]))) return true;
    }
  }
  return false;
}

describe('checkRepeatSends', () => {
  it('agrees with enumerating every path and loop, on random journeys', () => {
    fc.assert(
      fc.property(randomJourney, (journey) => {
        const refused = checkJourney('random.yaml', journey).problems.some((problem) =>
          problem.reason.startsWith('template '),
        );
        expect(refused).toBe(repeatsByPathEnumeration(compileJourney(journey)));
      }),
      { numRuns: 300 },
    );
  });
});
