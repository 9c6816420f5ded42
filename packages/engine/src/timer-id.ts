import { hash } from 'node:crypto';

/** What names one durable wait. */
export interface TimerIdInput {
  readonly customerId: string;
  readonly journey: string;
  readonly journeyVersion: number;
  /** Which entry of the journey (ActiveJourney.entry). */
  readonly entry: number;
  /** The XState delayed event id, or `deferred:<template>` for a deferred send. */
  readonly key: string;
  /** The customer's `seq` when the wait began: a state entered twice waits under two ids. */
  readonly seq: number;
}

// Bumped only if the derivation changes, so ids of the old scheme never collide with the new.
const SCHEME = 'tactful.timer.v1';

/**
 * Pure. `tmr-` and 32 hex digits of SHA-256 over the inputs (as a JSON array, so no two inputs encode
 * alike). A replayed step derives the same id, so the timer is stored once; a second wait in the same
 * state gets a new id, so a late `timer.fired` of the first (and the deduplication of fired events by
 * timer id) never mistakes one for the other.
 */
export function timerIdFor(input: TimerIdInput): string {
  const encoded = JSON.stringify([
    SCHEME,
    input.customerId,
    input.journey,
    input.journeyVersion,
    input.entry,
    input.key,
    input.seq,
  ]);
  return `tmr-${hash('sha256', encoded, 'hex').slice(0, 32)}`;
}
