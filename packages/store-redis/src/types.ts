// The shapes the journey engine and the services exchange with the store. The store keeps payloads as
// the JSON they were given and does not know the domain schemas (those live in @tactful/events), so a
// command or an audit record only has to carry what the store itself reads: a command's `id`.

/** A command waiting in a customer's outbox until it is relayed to `N.commands`; consumers dedupe on `id`. */
export type OutboxCommand = { id: string; [field: string]: unknown };

/** An audit record (CONTRACT.md section 6), kept per customer for `tactful explain`. */
export type AuditEntry = { [field: string]: unknown };

/** A durable wait: when `dueAt` (epoch ms) has passed, the timer service turns it into `timer.fired`. */
export interface Timer {
  /** Unique per customer; adding a timer with an id that exists reschedules it. */
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

/** Written by the halt sentinel the moment a halting event is seen; read before every step and send. */
export interface HaltMark {
  /** The halting event; marking the same event twice keeps one mark. */
  eventId: string;
  /** Its CloudEvents type (`email.replied`, `contact.opted_out`, …). */
  type: string;
  /** Epoch milliseconds: when the event happened. */
  at: number;
  /** The journeys it halts; undefined = every journey. */
  journeys?: string[];
  /** An opt-out: nothing at all may be sent after it. */
  optOut?: boolean;
}

/** Everything one event changed for one customer, committed all together or not at all. */
export interface CommitBatch<C extends OutboxCommand = OutboxCommand, A extends AuditEntry = AuditEntry> {
  customerId: string;
  /** The version `load` returned (0 for a new customer). */
  expectedVersion: number;
  /** The event being applied: recorded as processed by this commit. */
  eventId: string;
  /** The customer's whole new state; any JSON value. */
  state: unknown;
  /** Templates sent by this commit; refused if one is already in the ledger. */
  ledgerAdd: string[];
  /** Applied after `timersCancel`, so cancelling and re-adding one id reschedules it. */
  timersAdd: Timer[];
  /** Timer ids to cancel; unknown ids are ignored. */
  timersCancel: string[];
  /** Commands to relay, in order; an id already pending is not added twice. */
  outbox: C[];
  audit: A[];
  /**
   * How many halt marks the caller saw in `load`. When given, a commit made while the halt sentinel added
   * a mark is refused as a conflict, so the engine reloads and sees the halt before deciding to send.
   */
  haltsSeen?: number;
  /**
   * Additions to the namespace's named counters (`counters()`), made by this commit and only by it, so a
   * retried or duplicate event never counts twice. A field names what it counts; the store gives it no
   * meaning (the orchestrator keeps journey counts here). Deltas are integers; zero is skipped.
   */
  counters?: Readonly<Record<string, number>>;
}

export type CommitResult =
  | { status: 'committed'; version: number }
  | { status: 'duplicate' }
  | { status: 'conflict'; version: number; reason: 'version' | 'halts' }
  | { status: 'ledger_violation'; template: string };

export interface LoadedCustomer {
  /** 0 = a customer the store has never seen. */
  version: number;
  state: unknown;
  /** Every template ever sent to this customer, sorted. */
  ledger: string[];
  /** Every halt mark, oldest first. A journey is halted when any of them covers it (see `haltsJourney`). */
  halts: HaltMark[];
  /** The first halt mark, or null when the customer was never halted; `halts` has the full picture. */
  halt: HaltMark | null;
}

export interface TimerBacklog {
  /** Timers waiting in every shard. */
  count: number;
  /** The earliest due time (epoch ms) of them, or null when there are none. */
  oldestDueAt: number | null;
  /** Of them, how many are due at `now`; null when `now` was not given. */
  dueCount: number | null;
}
