import type { TimerFiredData, TimerFiredEvent } from '@tactful/events';
import type { Timer } from './effect';

/** Who writes `timer.fired` events, as their CloudEvents `source`. */
export const TIMER_SOURCE = 'tactful/scheduler';

/** Pure. The `data` of the `timer.fired` event that a due timer becomes. */
export function timerFiredData(timer: Timer): TimerFiredData {
  return {
    journey: timer.journey,
    journeyVersion: timer.journeyVersion,
    timerId: timer.id,
    stage: timer.payload.stage,
    delay: timer.payload.delay,
    dueAt: new Date(timer.dueAt).toISOString(),
  };
}

/**
 * Pure. The whole `timer.fired` event for a due timer, fired at `firedAt`. Its id is the timer id, so a
 * timer fired twice (the timer service crashed between publishing and deleting it) is a duplicate the
 * orchestrator ignores like any other.
 */
export function timerFiredEvent(timer: Timer, firedAt: Date): TimerFiredEvent {
  return {
    specversion: '1.0',
    id: timer.id,
    source: TIMER_SOURCE,
    type: 'timer.fired',
    subject: timer.customerId,
    time: firedAt.toISOString(),
    datacontenttype: 'application/json',
    data: timerFiredData(timer),
  };
}
