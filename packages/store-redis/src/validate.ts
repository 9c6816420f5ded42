import { TactfulError } from '@tactful/events';
import type { CustomerCommit, Timer, TimerRef } from './types';

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

function timerProblems(timer: Timer, customerId: string, at: string): string[] {
  const problems: string[] = [];
  if (!isNonEmptyString(timer.id) || timer.id.includes('\u0000'))
    problems.push(`${at}.id must be a non-empty string without NUL`);
  // the timer lives in the customer's slot; another customer's timer would cross slots in a cluster
  if (timer.customerId !== customerId) problems.push(`${at}.customerId must be the batch's customer`);
  if (!isNonEmptyString(timer.journey)) problems.push(`${at}.journey must be a non-empty string`);
  if (!Number.isSafeInteger(timer.journeyVersion)) problems.push(`${at}.journeyVersion must be an integer`);
  if (!isEpochMs(timer.dueAt)) problems.push(`${at}.dueAt must be epoch milliseconds (an integer ≥ 0)`);
  return problems;
}

function duplicates(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => (seen.has(v) ? true : (seen.add(v), false)));
}

/** Pure. Every problem of one customer's commit; empty when it may be committed. */
export function commitProblems(commit: CustomerCommit): string[] {
  const { customerId } = commit.loaded;
  const problems = customerIdProblems(customerId).map((p) => `customerId ${p}`);
  if (commit.state === undefined) problems.push('state must be a JSON value');
  if (!commit.ledgerAdd.every(isNonEmptyString)) problems.push('ledgerAdd must hold non-empty strings');
  if (!(commit.ledgerKnown ?? []).every(isNonEmptyString))
    problems.push('ledgerKnown must hold non-empty strings');
  commit.timers.forEach((t, i) => problems.push(...timerProblems(t, customerId, `timers[${i}]`)));
  for (const id of duplicates(commit.timers.map((t) => t.id)))
    problems.push(`timers has timer ${JSON.stringify(id)} twice`);
  if (!commit.clearHalts.every(isNonEmptyString)) problems.push('clearHalts must hold non-empty strings');
  commit.outbox.forEach((m, i) => {
    if (!isNonEmptyString(m.id)) problems.push(`outbox[${i}].id must be a non-empty string`);
    if (!isNonEmptyString(m.topic)) problems.push(`outbox[${i}].topic must be a non-empty string`);
    if (m.key !== customerId) problems.push(`outbox[${i}].key must be the customer id`);
    if (typeof m.value !== 'string') problems.push(`outbox[${i}].value must be text`);
  });
  for (const id of duplicates(commit.outbox.map((m) => m.id)))
    problems.push(`outbox has message ${JSON.stringify(id)} twice`);
  for (const [field, delta] of Object.entries(commit.counters ?? {})) {
    if (field.length === 0) problems.push('counters must not have an empty name');
    // HINCRBY takes a signed 64-bit integer; beyond 2^53 JavaScript could not read the count back
    if (!Number.isSafeInteger(delta)) problems.push(`counters[${JSON.stringify(field)}] must be an integer`);
  }
  return problems;
}

/**
 * Pure. The template of `ledgerAdd` that was sent before (in the loaded ledger) or is sent twice by the
 * commit, if any: the last line of defence of invariant 3. The loaded ledger is the current one, since
 * the commit is refused if the record changed since it was loaded.
 */
export function ledgerViolation(commit: CustomerCommit): string | undefined {
  const sent = new Set(commit.loaded.ledger);
  for (const template of commit.ledgerAdd) {
    if (sent.has(template)) return template;
    sent.add(template);
  }
  return undefined;
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
