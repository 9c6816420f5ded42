import { readFileSync } from 'node:fs';
import { initialTransition, setup, transition } from 'xstate';
import { describe, expect, it } from 'vitest';
import type { JourneyMachine, JourneySnapshot } from './compile-journey';
import { compileJourney } from './compile-journey';
import { effectsOf } from './journey-effects';
import { parseJourney } from './parse-journey';

const DAY = 86_400_000;

function load(name: string): JourneyMachine {
  const text = readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
  const { machine, problems } = parseJourney(text, name);
  if (machine === undefined) throw new Error(JSON.stringify(problems));
  return machine;
}

/** A snapshot as the engine keeps it: JSON in Redis between two events. */
function storeAndRestore(machine: JourneyMachine, snapshot: JourneySnapshot): JourneySnapshot {
  const stored = JSON.stringify(machine.getPersistedSnapshot(snapshot));
  return machine.resolveState(JSON.parse(stored) as Parameters<JourneyMachine['resolveState']>[0]);
}

describe('the contract example, compiled and stepped with transition()', () => {
  const machine = load('whitepaper-nurture.yaml');

  it('enters welcome: sends wp-welcome and starts the three-day wait', () => {
    const [snapshot, actions] = initialTransition(machine);
    expect(snapshot.value).toBe('welcome');
    expect(effectsOf(actions)).toEqual([
      { type: 'send', template: 'wp-welcome', channel: 'email', stage: 'welcome' },
      {
        type: 'schedule',
        id: 'xstate.after.P3D.whitepaper-nurture.welcome',
        delay: 3 * DAY,
        event: { type: 'xstate.after.P3D.whitepaper-nurture.welcome' },
      },
    ]);
  });

  // What the engine turns into durable timers: XState's own action objects, read as they come.
  it('shows a wait as an xstate.raise action with a delay, and leaving as an xstate.cancel', () => {
    const [welcome, entered] = initialTransition(machine);
    expect(entered.map(({ type, params }) => ({ type, params }))).toEqual([
      { type: 'send', params: { template: 'wp-welcome', channel: 'email', stage: 'welcome' } },
      {
        type: 'xstate.raise',
        params: {
          event: { type: 'xstate.after.P3D.whitepaper-nurture.welcome' },
          id: 'xstate.after.P3D.whitepaper-nurture.welcome',
          delay: 259_200_000,
        },
      },
    ]);
    const [, left] = transition(machine, welcome, { type: 'email.opened' });
    expect(left.map(({ type, params }) => ({ type, params }))).toEqual([
      { type: 'xstate.cancel', params: { sendId: 'xstate.after.P3D.whitepaper-nurture.welcome' } },
      { type: 'send', params: { template: 'wp-case-study', channel: 'email', stage: 'engaged' } },
      {
        type: 'xstate.raise',
        params: {
          event: { type: 'xstate.after.P5D.whitepaper-nurture.engaged' },
          id: 'xstate.after.P5D.whitepaper-nurture.engaged',
          delay: 432_000_000,
        },
      },
    ]);
  });

  it('welcome → opened → engaged → five days → done, through JSON snapshots', () => {
    let [snapshot] = initialTransition(machine);
    let actions;
    [snapshot, actions] = transition(machine, storeAndRestore(machine, snapshot), {
      type: 'email.opened',
      data: { template: 'wp-welcome' },
    });
    expect(snapshot.value).toBe('engaged');
    expect(effectsOf(actions).filter((effect) => effect.type === 'send')).toEqual([
      { type: 'send', template: 'wp-case-study', channel: 'email', stage: 'engaged' },
    ]);
    [snapshot, actions] = transition(machine, storeAndRestore(machine, snapshot), {
      type: 'xstate.after.P5D.whitepaper-nurture.engaged',
    });
    expect(snapshot.value).toBe('done');
    expect(snapshot.status).toBe('done');
    // Leaving a state cancels its waits, the one that just ended included: for the engine, a no-op.
    expect(effectsOf(actions)).toEqual([
      { type: 'cancel', id: 'xstate.after.P5D.whitepaper-nurture.engaged' },
    ]);
  });

  it('welcome → three days → checkIn; a late timer of a state already left changes nothing', () => {
    const [welcome] = initialTransition(machine);
    const [checkIn, actions] = transition(machine, welcome, {
      type: 'xstate.after.P3D.whitepaper-nurture.welcome',
    });
    expect(checkIn.value).toBe('checkIn');
    expect(effectsOf(actions)).toEqual([
      { type: 'cancel', id: 'xstate.after.P3D.whitepaper-nurture.welcome' },
      { type: 'send', template: 'wp-checkin', channel: 'email', stage: 'checkIn' },
      {
        type: 'schedule',
        id: 'xstate.after.P5D.whitepaper-nurture.checkIn',
        delay: 5 * DAY,
        event: { type: 'xstate.after.P5D.whitepaper-nurture.checkIn' },
      },
    ]);
    const [same, none] = transition(machine, checkIn, {
      type: 'xstate.after.P3D.whitepaper-nurture.welcome',
    });
    expect(same.value).toBe('checkIn');
    expect(none).toEqual([]);
    const [stillCheckIn] = transition(machine, checkIn, { type: 'email.opened' });
    expect(stillCheckIn.value).toBe('checkIn');
  });

  it('keeps snapshots small and JSON-serializable', () => {
    const [snapshot] = initialTransition(machine);
    const persisted = machine.getPersistedSnapshot(snapshot);
    expect(JSON.parse(JSON.stringify(persisted))).toEqual({
      status: 'active',
      value: 'welcome',
      historyValue: {},
      context: {},
      children: {},
    });
    const restored = storeAndRestore(machine, snapshot);
    expect(restored.value).toBe('welcome');
    expect(machine.getPersistedSnapshot(restored)).toEqual(persisted);
  });
});

describe('guards and nested states', () => {
  const machine = load('good/nested-states.yaml');
  const [welcome] = initialTransition(machine);

  it('takes a guarded transition only when the event data holds the value', () => {
    const pricing = { type: 'email.clicked', data: { url: 'https://example.com/pricing' } };
    expect(transition(machine, welcome, pricing)[0].value).toEqual({ onboarding: 'pricing' });
    const other = { type: 'email.clicked', data: { url: 'https://example.com/blog' } };
    expect(transition(machine, welcome, other)[0].value).toEqual({ onboarding: 'tips' });
    expect(transition(machine, welcome, { type: 'email.clicked' })[0].value).toEqual({ onboarding: 'tips' });
  });

  it('lets the outer wait end an inner state, with #path targets and millisecond keys', () => {
    const [, entered] = initialTransition(machine);
    expect(effectsOf(entered)).toContainEqual({
      type: 'schedule',
      id: 'xstate.after.P14D.trial-onboarding.onboarding',
      delay: 14 * DAY,
      event: { type: 'xstate.after.P14D.trial-onboarding.onboarding' },
    });
    const [pricing] = transition(machine, welcome, {
      type: 'email.clicked',
      data: { url: 'https://example.com/pricing' },
    });
    const [closing, actions] = transition(machine, storeAndRestore(machine, pricing), {
      type: 'xstate.after.P14D.trial-onboarding.onboarding',
    });
    expect(closing.value).toBe('closing');
    expect(effectsOf(actions)).toEqual([
      { type: 'cancel', id: 'xstate.after.P14D.trial-onboarding.onboarding' },
      { type: 'send', template: 'trial-closing', channel: 'email', stage: 'closing' },
      {
        type: 'schedule',
        id: 'xstate.after.86400000.trial-onboarding.closing',
        delay: DAY,
        event: { type: 'xstate.after.86400000.trial-onboarding.closing' },
      },
    ]);
  });

  it('stores a nested snapshot as JSON and restores it', () => {
    const [tips] = transition(machine, welcome, { type: 'email.clicked' });
    expect(JSON.parse(JSON.stringify(machine.getPersistedSnapshot(tips)))).toMatchObject({
      value: { onboarding: 'tips' },
    });
    expect(storeAndRestore(machine, tips).value).toEqual({ onboarding: 'tips' });
  });
});

describe('compileJourney', () => {
  it('names the machine after the journey and registers every wait as a named delay', () => {
    const text = readFileSync(new URL('./__fixtures__/whitepaper-nurture.yaml', import.meta.url), 'utf8');
    const { journey } = parseJourney(text, 'whitepaper-nurture.yaml');
    if (journey === undefined) throw new Error('the contract example must parse');
    const machine = compileJourney(journey);
    expect(machine.id).toBe('whitepaper-nurture');
    expect(machine.implementations.delays).toEqual({ P3D: 3 * DAY, P5D: 5 * DAY });
  });
});

// Why unknown delays are refused at load rather than left to XState.
describe('a wait whose named delay setup() does not know', () => {
  it('ends at once in XState, in the same step', () => {
    const machine = setup({}).createMachine({
      initial: 'waiting',
      states: { waiting: { after: { threeDays: 'done' } }, done: { type: 'final' } },
    });
    const [snapshot] = initialTransition(machine);
    expect(snapshot.value).toBe('done');
  });
});
