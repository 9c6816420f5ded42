import type { Timer } from '@tactful/store-redis';
import type { TactfulEvent } from '@tactful/events';

export const TIMER_SOURCE = 'tactful/scheduler';

interface TimerPayload {
  stage?: unknown;
  delay?: unknown;
  kind?: unknown;
}

/**
 * Pure. The `timer.fired` event of a due timer. Its id is the timer's id, so a timer produced twice (a
 * crash between the produce and the removal) is dropped by the orchestrator as a duplicate event.
 */
export function timerFiredEvent(timer: Timer, firedAt: Date): TactfulEvent {
  const payload = (timer.payload ?? {}) as TimerPayload;
  const stage = typeof payload.stage === 'string' ? payload.stage : 'unknown';
  const delay =
    typeof payload.delay === 'string'
      ? payload.delay
      : typeof payload.kind === 'string'
        ? payload.kind
        : 'wait';
  return {
    specversion: '1.0',
    id: timer.id,
    source: TIMER_SOURCE,
    type: 'timer.fired',
    subject: timer.customerId,
    time: firedAt.toISOString(),
    datacontenttype: 'application/json',
    data: {
      journey: timer.journey,
      journeyVersion: timer.journeyVersion,
      timerId: timer.id,
      stage,
      delay,
      dueAt: new Date(timer.dueAt).toISOString(),
      ...(timer.payload === undefined ? {} : { payload: timer.payload }),
    },
  } as TactfulEvent;
}
