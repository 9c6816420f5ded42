import { TactfulError } from '@tactful/events';
import type { AuditEntry, CommitBatch, HaltMark, OutboxCommand, Timer, TimerRef } from './types';

// Checks on what callers hand the store, made before anything reaches Redis. A bad batch is a bug in
// the caller (the engine builds it), not a condition to retry, so it is an `internal` error that names
// every problem. The commit script checks again what a caller bypassing this module could get wrong.

const LONE_SURROGATE = /\p{Cs}/u;

/** Pure. Problems of a customer id: keys are UTF-8, where two ids with lone surrogates would collide. */
export function customerIdProblems(customerId: unknown): string[] {
  if (typeof customerId !== 'string' || customerId.length === 0) return ['must be a non-empty string'];
  if (LONE_SURROGATE.test(customerId)) return ['must be well-formed Unicode (no lone surrogates)'];
  return [];
}

/** Pure. Throws unless `customerId` can name a customer in Redis. */
export function assertCustomerId(customerId: unknown): asserts customerId is string {
  const problems = customerIdProblems(customerId);
  if (problems.length > 0)
    throw new TactfulError('internal', `invalid customer id ${JSON.stringify(customerId)}: ${problems[0]}`);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function isEpochMs(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/**
 * Pure; never throws. The JSON text of a value, or undefined when the value has none: undefined, a
 * function, a cycle or a BigInt (TypeError), nesting deeper than the call stack or text longer than a
 * string can hold (RangeError). The caller then reports the value as not JSON-serialisable, an
 * `internal` error the consumer dead-letters with its message instead of crashing on it.
 */
export function toJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch (err) {
    if (err instanceof TypeError || err instanceof RangeError) return undefined;
    throw err;
  }
}

function timerProblems(timer: Timer, customerId: string, at: string): string[] {
  const problems: string[] = [];
  if (!isNonEmptyString(timer.id)) problems.push(`${at}.id must be a non-empty string`);
  // the timer lives in the customer's slot; another customer's timer would cross slots in a cluster
  if (timer.customerId !== customerId) problems.push(`${at}.customerId must be the batch's customer`);
  if (!isNonEmptyString(timer.journey)) problems.push(`${at}.journey must be a non-empty string`);
  if (!Number.isSafeInteger(timer.journeyVersion)) problems.push(`${at}.journeyVersion must be an integer`);
  if (!isEpochMs(timer.dueAt)) problems.push(`${at}.dueAt must be epoch milliseconds (an integer ≥ 0)`);
  if (timer.payload !== undefined && toJson(timer.payload) === undefined)
    problems.push(`${at}.payload must be JSON-serialisable`);
  return problems;
}

function duplicates(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => (seen.has(v) ? true : (seen.add(v), false)));
}

/** Pure. Every problem of a commit batch; empty when it may be committed. */
export function batchProblems<C extends OutboxCommand, A extends AuditEntry>(
  batch: CommitBatch<C, A>,
): string[] {
  const problems = customerIdProblems(batch.customerId).map((p) => `customerId ${p}`);
  if (!isEpochMs(batch.expectedVersion)) problems.push('expectedVersion must be an integer ≥ 0');
  if (!isNonEmptyString(batch.eventId)) problems.push('eventId must be a non-empty string');
  if (batch.state === undefined || toJson(batch.state) === undefined)
    problems.push('state must be JSON-serialisable');
  if (!batch.ledgerAdd.every(isNonEmptyString)) problems.push('ledgerAdd must hold non-empty strings');
  batch.timersAdd.forEach((t, i) => problems.push(...timerProblems(t, batch.customerId, `timersAdd[${i}]`)));
  for (const id of duplicates(batch.timersAdd.map((t) => t.id)))
    problems.push(`timersAdd has timer ${JSON.stringify(id)} twice`);
  if (!batch.timersCancel.every(isNonEmptyString)) problems.push('timersCancel must hold non-empty strings');
  batch.outbox.forEach((c, i) => {
    if (!isNonEmptyString(c.id)) problems.push(`outbox[${i}].id must be a non-empty string`);
    else if (toJson(c) === undefined) problems.push(`outbox[${i}] must be JSON-serialisable`);
  });
  for (const id of duplicates(batch.outbox.map((c) => c.id)))
    problems.push(`outbox has command ${JSON.stringify(id)} twice`);
  batch.audit.forEach((a, i) => {
    if (typeof a !== 'object' || a === null || toJson(a) === undefined)
      problems.push(`audit[${i}] must be a JSON object`);
  });
  if (batch.haltsSeen !== undefined && !isEpochMs(batch.haltsSeen))
    problems.push('haltsSeen must be an integer ≥ 0');
  for (const [field, delta] of Object.entries(batch.counters ?? {})) {
    if (field.length === 0) problems.push('counters must not have an empty name');
    // HINCRBY takes a signed 64-bit integer; beyond 2^53 JavaScript could not read the count back
    if (!Number.isSafeInteger(delta)) problems.push(`counters[${JSON.stringify(field)}] must be an integer`);
  }
  return problems;
}

/** Pure. Every problem of a halt mark. */
export function haltMarkProblems(mark: HaltMark): string[] {
  const problems: string[] = [];
  if (!isNonEmptyString(mark.eventId)) problems.push('eventId must be a non-empty string');
  if (!isNonEmptyString(mark.type)) problems.push('type must be a non-empty string');
  if (!isEpochMs(mark.at)) problems.push('at must be epoch milliseconds (an integer ≥ 0)');
  if (mark.journeys !== undefined && !(Array.isArray(mark.journeys) && mark.journeys.every(isNonEmptyString)))
    problems.push('journeys must be a list of journey ids (or absent for all)');
  if (mark.optOut !== undefined && typeof mark.optOut !== 'boolean')
    problems.push('optOut must be a boolean');
  return problems;
}

/** Pure. Every problem of timer references passed to `removeTimers`. */
export function timerRefProblems(refs: TimerRef[]): string[] {
  return refs.flatMap((ref, i) => [
    ...customerIdProblems(ref.customerId).map((p) => `[${i}].customerId ${p}`),
    ...(isNonEmptyString(ref.timerId) ? [] : [`[${i}].timerId must be a non-empty string`]),
    ...(ref.dueAt === undefined || isEpochMs(ref.dueAt) ? [] : [`[${i}].dueAt must be epoch milliseconds`]),
  ]);
}

/** Pure. Throws an `internal` error listing `problems`, if any. */
export function assertNoProblems(what: string, problems: string[]): void {
  if (problems.length > 0)
    throw new TactfulError('internal', `invalid ${what}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
}
