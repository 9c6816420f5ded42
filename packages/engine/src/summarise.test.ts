import { TimerFiredEvent } from '@tactful/events';
import { describe, expect, it } from 'vitest';
import { summarise } from './summarise';
import {
  DAY,
  DEFAULT_POLICY,
  T0,
  Timeline,
  WHITEPAPER_FORM,
  catalogOf,
  schedulesOf,
  whitepaper,
} from './test-kit';
import { timerFiredData, timerFiredEvent } from './timer-fired';

describe('summarise', () => {
  it('lists journeys and stages, waits, deferred messages, templates sent and history', () => {
    const timeline = new Timeline(catalogOf(whitepaper()), DEFAULT_POLICY, {
      now: new Date('2026-11-23T22:00:00.000Z'),
    });
    timeline.apply('form.submitted', WHITEPAPER_FORM);
    expect(summarise(timeline.state)).toEqual({
      customerId: 'cust-42',
      status: 'prospect',
      optedOut: [],
      hardBounced: false,
      active: [
        {
          journey: 'whitepaper-nurture',
          version: 3,
          enteredAt: '2026-11-23T22:00:00.000Z',
          stages: ['welcome'],
          pendingWaits: 1,
        },
      ],
      deferred: [
        { journey: 'whitepaper-nurture', template: 'wp-welcome', dueAt: '2026-11-24T08:00:00.000Z' },
      ],
      templatesSent: [],
      history: [],
    });
    timeline.advance(10 * DAY);
    expect(summarise(timeline.state)).toMatchObject({
      active: [],
      deferred: [],
      templatesSent: ['wp-welcome', 'wp-checkin'],
      history: [{ journey: 'whitepaper-nurture', outcome: 'completed', version: 3 }],
    });
  });
});

describe('timer.fired for a due timer', () => {
  it('is a valid internal event whose id is the timer id', () => {
    const timeline = new Timeline(catalogOf(whitepaper()));
    const [timer] = schedulesOf(timeline.apply('form.submitted', WHITEPAPER_FORM).effects);
    if (timer === undefined) throw new Error('the welcome state waits');
    const firedAt = new Date(timer.dueAt + 1500);
    const event = timerFiredEvent(timer, firedAt);
    expect(TimerFiredEvent.parse(event)).toEqual(event);
    expect(event).toMatchObject({ id: timer.id, subject: 'cust-42', time: firedAt.toISOString() });
    expect(timerFiredData(timer)).toEqual({
      journey: 'whitepaper-nurture',
      journeyVersion: 3,
      timerId: timer.id,
      stage: 'welcome',
      delay: 'P3D',
      dueAt: new Date(T0.getTime() + 3 * DAY).toISOString(),
    });
  });
});
