// The shapes the journey engine and the services exchange with the store. The store does not know the
// domain schemas (those live in @tactful/events and @tactful/engine): a state is any JSON value, an
// outbox message is text the caller serialised once, and a timer carries an opaque payload.
import type { HaltMark } from '@tactful/events';
import type { AppliedLog } from './applied-log';

export type { AppliedLog, EventPosition } from './applied-log';

/** A message waiting in the outbox until it is on Kafka; consumers dedupe on `id`. */
export interface OutboxMessage {
  /** Unique per message and deterministic: relayed twice, it is recognised by the same id. */
  readonly id: string;
  /** The topic it goes to. */
  readonly topic: string;
  /** The Kafka key: the customer id. */
  readonly key: string;
  /** The message, serialised once by the caller: the same text is stored and produced. */
  readonly value: string;
}

/** A durable wait: when `dueAt` (epoch ms) has passed, the timer service turns it into `timer.fired`. */
export interface Timer {
  /** Unique per customer; adding a timer with an id that exists reschedules it. No NUL character. */
  id: string;
  customerId: string;
  journey: string;
  journeyVersion: number;
  /** Epoch milliseconds. */
  dueAt: number;
  payload?: unknown;
}

/** Names one timer in a shard; `dueAt`, when given, removes it only if it was not rescheduled since. */
export interface TimerRef {
  customerId: string;
  timerId: string;
  dueAt?: number;
}

export interface LoadedCustomer {
  customerId: string;
  /** 0 = a customer the store has never seen. */
  version: number;
  /** null for a new customer. */
  state: unknown;
  /** Every template ever sent to this customer, sorted. */
  ledger: string[];
  /** The pending timers, earliest first. */
  timers: Timer[];
  /**
   * The halt marks whose events are not applied yet, oldest first (`splitHalts`): a send is held when any
   * of them covers it (`haltMarkCovers` of @tactful/events). Marks of events already applied are in
   * `staleHalts`.
   */
  halts: HaltMark[];
  /** The first of `halts`, or null. */
  halt: HaltMark | null;
  /** Ids of marks whose events the record has applied (the sentinel lagged): the next commit deletes them. */
  staleHalts: string[];
  /** How many marks Redis held at load (live and stale): a commit made after a new one is refused. */
  haltsSeen: number;
  /** What guards against applying an event twice (see `appliedBefore`). */
  applied: AppliedLog;
}

/** The new record of one customer, and what else its commit writes, all or nothing with its group. */
export interface CustomerCommit {
  /** What this commit was computed from: its version and halt count are checked, its timers diffed. */
  loaded: LoadedCustomer;
  /** The whole new state; any JSON value. */
  state: unknown;
  /** Templates the commit's sends use: refused if one is in the loaded ledger or given twice. */
  ledgerAdd: string[];
  /** Templates known sent by other means (an `email.sent` event); added to the ledger, never refused. */
  ledgerKnown?: string[];
  /** Every timer pending after the commit (adds, reschedules and cancels are the difference). */
  timers: Timer[];
  /** The applied log after the commit's events (`withApplied`). */
  applied: AppliedLog;
  /**
   * Halt marks to delete: those of the events applied by this commit. The commit also deletes the marks
   * `loaded` found stale (`loaded.staleHalts`), whoever builds it.
   */
  clearHalts: string[];
  /** Messages to relay, in order. */
  outbox: OutboxMessage[];
  /**
   * Additions to the namespace's named counters (`counters()`), made by this commit and only by it, so a
   * retried or duplicate event never counts twice. Deltas are integers; zero is skipped.
   */
  counters?: Readonly<Record<string, number>>;
}

/** What became of one customer's commit. */
export type CommitResult =
  | { status: 'committed'; version: number }
  /** The record or its halt marks changed since `loaded`: load again and recompute. */
  | { status: 'conflict'; reason: 'version' | 'halts' }
  /** A template of `ledgerAdd` was sent before: a bug in the decision; nothing was written. */
  | { status: 'ledger_violation'; template: string }
  /** Another customer of the same atomic group was refused, so nothing was written: commit again. */
  | { status: 'not_written' };

/** Where one group's outbox was written: the field of its shard's outbox hash (`ackOutbox` removes it). */
export interface OutboxField {
  readonly shard: number;
  readonly field: string;
}

/** What `commitMany` did: a result per commit, in the order given, and the outbox fields it wrote. */
export interface CommitMany {
  readonly results: CommitResult[];
  readonly outbox: OutboxField[];
}

/** Messages committed but not acknowledged yet, as `pendingOutbox` finds them after a crash. */
export interface PendingOutbox extends OutboxField {
  readonly messages: OutboxMessage[];
}

export interface TimerBacklog {
  /** Timers waiting in every shard. */
  count: number;
  /** The earliest due time (epoch ms) of them, or null when there are none. */
  oldestDueAt: number | null;
  /** Of them, how many are due at `now`; null when `now` was not given. */
  dueCount: number | null;
}
