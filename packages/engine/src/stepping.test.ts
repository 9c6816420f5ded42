import { describe, expect, it } from 'vitest';
import type { Timer } from './effect';
import {
  DAY,
  HOUR,
  T0,
  Timeline,
  WHITEPAPER_FORM,
  auditsOf,
  cancelsOf,
  catalogOf,
  schedulesOf,
  templatesOfSends,
  whitepaper,
} from './test-kit';
import { timerFiredEvent } from './timer-fired';

function only<T>(items: readonly T[]): T {
  if (items.length !== 1) throw new Error(`expected one item, got ${items.length}`);
  return items[0] as T;
}

describe('timer.fired', () => {
  it('advances the journey the timer names: welcome → three days → checkIn', () => {
    const timeline = new Timeline(catalogOf(whitepaper()));
    const wait = only(schedulesOf(timeline.apply('form.submitted', WHITEPAPER_FORM).effects));
    timeline.now = new Date(wait.dueAt);
    const event = timerFiredEvent(wait, timeline.now);
    const { effects, state } = timeline.applyEvent(event);

    // The wait that fired is the timer service's to delete: no cancel for it.
    expect(effects.map((e) => e.type)).toEqual(['send', 'audit', 'schedule']);
    expect(templatesOfSends(effects)).toEqual(['wp-checkin']);
    expect(auditsOf(effects)[0]).toMatchObject({ decision: 'sent', stage: 'checkIn', causationId: wait.id });
    expect(only(schedulesOf(effects))).toMatchObject({
      dueAt: wait.dueAt + 5 * DAY,
      payload: { kind: 'after', stage: 'checkIn', delay: 'P5D' },
    });
    expect(state.active['whitepaper-nurture']?.stage).toBe('checkIn');
    expect(state.active['whitepaper-nurture']?.timers).toEqual({
      'xstate.after.P5D.whitepaper-nurture.checkIn': only(schedulesOf(effects)).id,
    });
  });

  it('an event the machine listens to leaves the state and cancels its wait', () => {
    const timeline = new Timeline(catalogOf(whitepaper()));
    const wait = only(schedulesOf(timeline.apply('form.submitted', WHITEPAPER_FORM).effects));
    const { effects } = timeline.apply('email.opened', { template: 'wp-welcome' });
    expect(effects.map((e) => e.type)).toEqual(['cancel', 'send', 'audit', 'schedule']);
    expect(cancelsOf(effects)).toEqual([wait.id]);
    expect(templatesOfSends(effects)).toEqual(['wp-case-study']);
  });

  it('a journey that reaches its final state completes and leaves no timer behind', () => {
    const timeline = new Timeline(catalogOf(whitepaper()));
    timeline.apply('form.submitted', WHITEPAPER_FORM);
    const fired = timeline.advance(8 * DAY);
    expect(templatesOfSends(fired)).toEqual(['wp-checkin']);
    expect(auditsOf(fired).at(-1)).toMatchObject({ decision: 'completed', code: 'final_state' });
    expect(timeline.state.active).toEqual({});
    expect(timeline.state.history['whitepaper-nurture']).toEqual({
      lastExitAt: new Date(T0.getTime() + 8 * DAY).toISOString(),
      outcome: 'completed',
      version: 3,
    });
    expect(timeline.timers.size).toBe(0);
  });
});

describe('stale timers are ignored, with no effect at all', () => {
  const catalog = catalogOf(whitepaper({ reentry: 'always' }));

  function entered(): { timeline: Timeline; wait: Timer } {
    const timeline = new Timeline(catalog);
    const wait = only(schedulesOf(timeline.apply('form.submitted', WHITEPAPER_FORM).effects));
    return { timeline, wait };
  }

  it.each<[string, (timeline: Timeline, wait: Timer) => Timer]>([
    ['an unknown timer id', (_, wait) => ({ ...wait, id: `tmr-${'0'.repeat(32)}` })],
    ['another version', (_, wait) => ({ ...wait, journeyVersion: 2 })],
    ['another journey', (_, wait) => ({ ...wait, journey: 'other-journey' })],
    [
      'a state already left',
      (timeline, wait) => {
        timeline.apply('email.opened', {});
        return wait;
      },
    ],
    [
      'a journey that was halted',
      (timeline, wait) => {
        timeline.apply('email.replied', {});
        return wait;
      },
    ],
    [
      'a journey entered again since',
      (timeline, wait) => {
        timeline.apply('email.replied', {});
        timeline.apply('form.submitted', WHITEPAPER_FORM);
        expect(timeline.state.active['whitepaper-nurture']).toBeDefined();
        return wait;
      },
    ],
  ])('%s', (_, change) => {
    const { timeline, wait } = entered();
    const timer = change(timeline, wait);
    const before = timeline.state;
    timeline.now = new Date(wait.dueAt);
    const { effects, state } = timeline.fire(timer);
    expect(effects).toEqual([]);
    expect(state).toEqual(before);
  });

  it('a second wait in the same state gets a new id, so the first one firing late is stale', () => {
    const loop = `
id: browsing
version: 1
name: Browsing
trigger: { event: form.submitted }
reentry: always
haltOn: []
machine:
  initial: browsing
  states:
    browsing:
      after: { PT1H: idle }
      on: { email.replied: done }
    idle:
      on: { page.viewed: browsing, email.replied: done }
    done:
      type: final
      entry: { type: send, params: { template: browsing-bye } }
`;
    const timeline = new Timeline(catalogOf(loop));
    const first = only(
      schedulesOf(timeline.apply('form.submitted', { formId: 'f', email: 'a@b.co' }).effects),
    );
    timeline.advance(HOUR);
    const second = only(schedulesOf(timeline.apply('page.viewed', { url: 'https://x.example/' }).effects));
    expect(second.id).not.toBe(first.id);
    expect(second.payload).toEqual(first.payload);

    // The first wait fired again (a duplicate), while the second is pending: nothing happens.
    expect(timeline.fire(first).effects).toEqual([]);
    expect(timeline.state.active['browsing']?.stage).toBe('browsing');
  });
});

describe('nested states', () => {
  const nested = `
id: trial-onboarding
version: 1
name: Trial onboarding
trigger: { event: form.submitted, where: { formId: trial } }
reentry: never
haltOn: [email.replied]
machine:
  initial: onboarding
  states:
    onboarding:
      initial: welcome
      after: { P14D: closing }
      states:
        welcome:
          entry: { type: send, params: { template: trial-welcome } }
          on:
            email.clicked:
              - { target: pricing, guard: { type: dataEquals, params: { path: url, value: "https://example.com/pricing" } } }
              - { target: tips }
        pricing:
          entry: { type: send, params: { template: trial-pricing } }
        tips:
          entry: { type: send, params: { template: trial-tips } }
    closing:
      entry: { type: send, params: { template: trial-closing } }
      after: { "86400000": done }
    done: { type: final }
`;

  it('steps a guarded transition inside, and lets the outer wait end the inner state', () => {
    const timeline = new Timeline(catalogOf(nested));
    const entered = timeline.apply('form.submitted', { formId: 'trial', email: 'ann@example.com' });
    expect(only(schedulesOf(entered.effects)).payload).toEqual({
      kind: 'after',
      event: 'xstate.after.P14D.trial-onboarding.onboarding',
      stage: 'onboarding',
      delay: 'P14D',
    });
    const clicked = timeline.apply('email.clicked', { url: 'https://example.com/pricing' });
    expect(templatesOfSends(clicked.effects)).toEqual(['trial-pricing']);
    expect(auditsOf(clicked.effects)[0]).toMatchObject({ stage: 'onboarding.pricing' });

    const later = timeline.advance(15 * DAY);
    expect(templatesOfSends(later)).toEqual(['trial-closing']);
    expect(timeline.state.history['trial-onboarding']).toMatchObject({ outcome: 'completed' });
  });
});
