/** The question the engine asks the policy before every send, and the answers it can get. */

/** One message the engine would like to send now. */
export type SendRequest = {
  journey: string;
  template: string;
  /** The topic of the message, matched against the customer's `topicsOptedOut`. */
  topic?: string;
  /** A journey meant for people who are not customers yet; never sent to an existing customer. */
  prospecting: boolean;
  channel: string;
  /**
   * An answer to what the person asked (a `transactional` journey): the suppression rules and the blast
   * guard apply, the deferring rules (do-not-contact-until, caps, gap, quiet hours) do not.
   */
  transactional?: boolean;
};

/** Why a message is dropped, in order of precedence. */
export const SUPPRESS_CODES = [
  'opted_out',
  'hard_bounced',
  'existing_customer',
  'topic_opted_out',
  'blast_guard',
] as const;
export type SuppressCode = (typeof SUPPRESS_CODES)[number];

/** Why a message waits, in order of precedence. */
export const DEFER_CODES = [
  'do_not_contact_until',
  'max_per_day',
  'max_per_week',
  'min_gap',
  'quiet_hours',
] as const;
export type DeferCode = (typeof DEFER_CODES)[number];

/** A stable machine-readable `code` (for audit records and metric labels) and text for people. */
export type Reason<Code extends string = SuppressCode | DeferCode> = { code: Code; text: string };

export type Decision =
  | { kind: 'send' }
  /** Ask again at `until` (ISO 8601, UTC): every rule allows the send then, if nothing else happens. */
  | { kind: 'defer'; until: string; reason: Reason<DeferCode> }
  /** Drop it. `alert` asks the engine to halt the customer's journeys and raise the alert metric. */
  | { kind: 'suppress'; reason: Reason<SuppressCode>; alert?: 'blast_guard' };
