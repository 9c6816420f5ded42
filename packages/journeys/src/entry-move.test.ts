import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TactfulError } from '@tactful/events';
import { describe, expect, it } from 'vitest';
import { entryMove } from './entry-move';
import { parseJourney } from './parse-journey';

const nested = parseJourney(
  readFileSync(fileURLToPath(new URL('./__fixtures__/good/nested-states.yaml', import.meta.url)), 'utf8'),
  'nested-states.yaml',
);

describe('entryMove', () => {
  it('enters a stage from outside as XState does: the sends and waits of every state around it, outer first', () => {
    const journey = nested.journey!;
    expect(entryMove(journey, 'onboarding.tips')).toEqual({
      stage: 'onboarding.tips',
      done: false,
      actions: [
        {
          type: 'schedule',
          id: 'xstate.after.P14D.trial-onboarding.onboarding',
          delay: 14 * 86_400_000,
          event: { type: 'xstate.after.P14D.trial-onboarding.onboarding' },
        },
        { type: 'send', params: { template: 'trial-tips', channel: 'email', stage: 'onboarding.tips' } },
        {
          type: 'schedule',
          id: 'xstate.after.P2D.trial-onboarding.onboarding.tips',
          delay: 2 * 86_400_000,
          event: { type: 'xstate.after.P2D.trial-onboarding.onboarding.tips' },
        },
      ],
    });
    // entering the initial stage is entering the journey
    expect(entryMove(journey, 'onboarding.welcome')).toEqual(nested.compiled!.initial);
    expect(entryMove(journey, 'done')).toMatchObject({ stage: 'done', done: true, actions: [] });
  });

  it('refuses a path that is not a stage a customer can be in', () => {
    expect(() => entryMove(nested.journey!, 'onboarding')).toThrow(TactfulError);
    expect(() => entryMove(nested.journey!, 'nowhere')).toThrow();
  });
});
