import { readFileSync } from 'node:fs';
import { TactfulError } from '@tactful/events';
import { describe, expect, it } from 'vitest';
import { compileJourney } from './compile-journey';
import { compileSteps } from './compile-steps';
import type { GuardInput } from './guard-holds';
import { GUARD_TESTS } from './guard-holds';
import type { Journey } from './journey';
import { parseJourney } from './parse-journey';
import { xstateStepper } from './xstate-stepper';

const DAY = 86_400_000;

function load(name: string): Journey {
  const text = readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
  const { journey, compiled, problems } = parseJourney(text, name);
  if (journey === undefined || compiled === undefined) throw new Error(JSON.stringify(problems));
  return journey;
}

describe('compileSteps on the contract example', () => {
  const compiled = compileSteps(load('whitepaper-nurture.yaml'));

  it('has a table row per reachable stage, each event and wait it listens to, and nothing else', () => {
    expect([...compiled.stages.keys()]).toEqual(['welcome', 'engaged', 'checkIn', 'done']);
    expect([...(compiled.stages.get('welcome')?.on.keys() ?? [])]).toEqual([
      'email.opened',
      'xstate.after.P3D.whitepaper-nurture.welcome',
    ]);
    expect(compiled.stages.get('done')).toEqual({ done: true, on: new Map() });
  });

  it('enters welcome: sends wp-welcome and starts the three-day wait', () => {
    expect(compiled.start()).toEqual({
      stage: 'welcome',
      done: false,
      actions: [
        { type: 'send', params: { template: 'wp-welcome', channel: 'email', stage: 'welcome' } },
        {
          type: 'schedule',
          id: 'xstate.after.P3D.whitepaper-nurture.welcome',
          delay: 3 * DAY,
          event: { type: 'xstate.after.P3D.whitepaper-nurture.welcome' },
        },
      ],
    });
  });

  it('steps by lookup: an opened email, a wait ending, a late timer, an event not listened to', () => {
    expect(compiled.next('welcome', { type: 'email.opened' }, 'c')).toMatchObject({
      stage: 'engaged',
      actions: [
        { type: 'cancel', id: 'xstate.after.P3D.whitepaper-nurture.welcome' },
        { type: 'send', params: { template: 'wp-case-study' } },
        { type: 'schedule', id: 'xstate.after.P5D.whitepaper-nurture.engaged' },
      ],
    });
    expect(compiled.next('checkIn', { type: 'xstate.after.P5D.whitepaper-nurture.checkIn' }, 'c')).toEqual({
      stage: 'done',
      done: true,
      actions: [{ type: 'cancel', id: 'xstate.after.P5D.whitepaper-nurture.checkIn' }],
    });
    expect(compiled.next('checkIn', { type: 'xstate.after.P3D.whitepaper-nurture.welcome' }, 'c')).toBe(
      undefined,
    );
    expect(compiled.next('welcome', { type: 'page.viewed' }, 'c')).toBe(undefined);
    expect(compiled.isFinal('done')).toBe(true);
    expect(compiled.isFinal('welcome')).toBe(false);
  });

  it('refuses a stage the journey does not have', () => {
    expect(() => compiled.next('nowhere', { type: 'email.opened' }, 'c')).toThrow(TactfulError);
    expect(() => compiled.isFinal('nowhere')).toThrow(/has no stage "nowhere"/);
  });

  it('hands out the same frozen moves to every customer', () => {
    const one = compiled.next('welcome', { type: 'email.opened' }, 'a');
    expect(compiled.next('welcome', { type: 'email.opened' }, 'b')).toBe(one);
    expect(Object.isFrozen(one)).toBe(true);
    expect(Object.isFrozen(one?.actions[1])).toBe(true);
  });
});

describe('compileSteps with nested states and guards', () => {
  const journey = load('good/nested-states.yaml');
  const compiled = compileSteps(journey);
  const pricing = { url: 'https://example.com/pricing' };

  it('keeps guarded transitions in the order XState tries them, then the fallback', () => {
    const choice = compiled.stages.get('onboarding.welcome')?.on.get('email.clicked');
    expect(choice?.branches.map((branch) => [branch.guard, branch.move?.stage])).toEqual([
      [{ type: 'dataEquals', params: { path: 'url', value: pricing.url } }, 'onboarding.pricing'],
    ]);
    expect(choice?.otherwise?.stage).toBe('onboarding.tips');
    expect(compiled.next('onboarding.welcome', { type: 'email.clicked', data: pricing }, 'c')?.stage).toBe(
      'onboarding.pricing',
    );
    expect(compiled.next('onboarding.welcome', { type: 'email.clicked', data: {} }, 'c')?.stage).toBe(
      'onboarding.tips',
    );
  });

  it("gives an inner stage the outer state's waits", () => {
    const outer = 'xstate.after.P14D.trial-onboarding.onboarding';
    expect(compiled.next('onboarding.pricing', { type: outer }, 'c')).toMatchObject({
      stage: 'closing',
      actions: [{ type: 'cancel', id: outer }, { type: 'send', params: { template: 'trial-closing' } }, {}],
    });
  });

  it('lets a guard see the journey, the customer and the event, compiled or through XState', () => {
    const seen: GuardInput[] = [];
    const tests = {
      ...GUARD_TESTS,
      dataEquals: (params: Parameters<typeof GUARD_TESTS.dataEquals>[0], input: GuardInput) => {
        seen.push(input);
        return GUARD_TESTS.dataEquals(params, input);
      },
    };
    const event = { type: 'email.clicked', data: pricing };
    for (const stepper of [compileSteps(journey, tests), xstateStepper(compileJourney(journey, tests))]) {
      expect(stepper.next('onboarding.welcome', event, 'cust-7')?.stage).toBe('onboarding.pricing');
    }
    expect(seen).toHaveLength(2);
    for (const input of seen) {
      expect(input).toMatchObject({ journeyId: 'trial-onboarding', customerId: 'cust-7', event });
    }
  });
});
