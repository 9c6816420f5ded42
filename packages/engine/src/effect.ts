import { AuditRecord, EmailSendCommand } from '@tactful/events';
import { z } from 'zod';

// What one step asks the world to do. Plain data: the orchestrator saves the new state first, then
// carries these out in order (outbox, timers, audit). Zod schemas so an outbox read back from Redis can
// be checked before it is relayed.

/** What a durable wait stands for. */
export const TimerPayload = z.discriminatedUnion('kind', [
  z.object({
    /** An `after` of the journey: its XState event goes back to `transition()` when due. */
    kind: z.literal('after'),
    event: z.string(),
    /** The state path that waits. */
    stage: z.string(),
    /** The `after` key as written in the journey (`P3D`, `PT30S`, `5000`). */
    delay: z.string(),
  }),
  z.object({
    /** A send the policy deferred: it is decided again, with every check, when due. */
    kind: z.literal('deferred-send'),
    template: z.string(),
    stage: z.string(),
    channel: z.string(),
    /** How long the policy made it wait, as an ISO 8601 duration. */
    delay: z.string(),
  }),
]);
export type TimerPayload = z.infer<typeof TimerPayload>;

/** A durable wait: the timer service turns it into a `timer.fired` event at `dueAt` (see timer-fired.ts). */
export const Timer = z.object({
  /** `tmr-` and 32 hex digits; unique per customer and per wait, the same when a step is replayed. */
  id: z.string().regex(/^tmr-[0-9a-f]{32}$/),
  customerId: z.string().min(1),
  journey: z.string().min(1),
  journeyVersion: z.int().min(1),
  /** Epoch milliseconds. */
  dueAt: z.int(),
  payload: TimerPayload,
});
export type Timer = z.infer<typeof Timer>;

export const ALERTS = ['blast_guard'] as const;

/** One thing the orchestrator must do after it saved the state, discriminated by `type`. */
export const Effect = z.discriminatedUnion('type', [
  /** Publish the command on `N.commands` (through the outbox); its id is deterministic. */
  z.object({ type: z.literal('send'), command: EmailSendCommand }),
  /** Store the timer (a timer with the same id replaces it). */
  z.object({ type: z.literal('schedule'), timer: Timer }),
  /** Delete the timer; deleting a timer that is gone (or already fired) is a no-op. */
  z.object({ type: z.literal('cancel'), customerId: z.string().min(1), timerId: z.string() }),
  /** Publish the record on `N.audit`. */
  z.object({ type: z.literal('audit'), record: AuditRecord }),
  /** Raise the alert (a metric and a log line): the blast guard tripped and the customer was halted. */
  z.object({
    type: z.literal('alert'),
    alert: z.enum(ALERTS),
    customerId: z.string().min(1),
    at: z.string(),
    reason: z.string(),
    causationId: z.string(),
  }),
]);
export type Effect = z.infer<typeof Effect>;
export type EffectType = Effect['type'];

/** Pure. The effects of one type, narrowed: `effectsOfType(effects, 'send')`. */
export function effectsOfType<T extends EffectType>(
  effects: readonly Effect[],
  type: T,
): Extract<Effect, { type: T }>[] {
  return effects.filter((effect): effect is Extract<Effect, { type: T }> => effect.type === type);
}
