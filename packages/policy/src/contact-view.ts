/**
 * What the policy needs to know about one customer, kept by the engine in the customer's state.
 * Plain JSON (times are ISO strings) and bounded: sends older than the longest window are pruned.
 */
import { z } from 'zod';
import { DoNotContactUntil } from './do-not-contact';
import { TimeZoneName } from './field-schemas';

/** The most sends a contact view keeps; policy limits may not exceed it (policy.ts). */
export const SEND_HISTORY_LIMIT = 100;

/** The longest window any rule looks back over: the weekly cap's rolling 7 days. */
export const SEND_HISTORY_WINDOW_MS = 7 * 24 * 3_600_000;

/** The channel a send uses when none is named (CONTRACT.md section 5, `send` action). */
export const DEFAULT_CHANNEL = 'email';

/** The opt-out that covers every channel. */
export const ALL_CHANNELS = 'all';

export const CUSTOMER_STATUSES = ['prospect', 'customer', 'former-customer'] as const;
export const CustomerStatus = z.enum(CUSTOMER_STATUSES);
export type CustomerStatus = z.infer<typeof CustomerStatus>;

export const SendRecord = z.object({
  at: z.iso.datetime(),
  journey: z.string(),
  template: z.string(),
  channel: z.string().min(1).default(DEFAULT_CHANNEL),
});
export type SendRecord = z.infer<typeof SendRecord>;

// Not strict: a state written by a newer version, with fields this one does not know, still loads.
export const ContactView = z.object({
  /** Oldest first; only those within SEND_HISTORY_WINDOW_MS, plus always the latest (for minGap). */
  sends: z.array(SendRecord).max(SEND_HISTORY_LIMIT).default([]),
  status: CustomerStatus.default('prospect'),
  /** Channels opted out of, lower case; `all` covers every channel. */
  optedOut: z.array(z.string()).default([]),
  /** Channels opted back into after an opt-out of `all`. */
  optedBackIn: z.array(z.string()).default([]),
  /** The email address hard-bounced: email is suppressed, other channels are not. */
  hardBounced: z.boolean().default(false),
  doNotContactUntil: DoNotContactUntil.nullable().default(null),
  /** IANA zone from the customer's preferences; null means the policy's default. */
  timezone: TimeZoneName.nullable().default(null),
  /** Topics opted out of, trimmed and lower case. */
  topicsOptedOut: z.array(z.string()).default([]),
});
export type ContactView = z.infer<typeof ContactView>;

/** The contact view of someone we know nothing about yet. */
export const EMPTY_CONTACT: ContactView = ContactView.parse({});

/** Pure. Channel and topic names compare trimmed and case-blind, so "Email" opts out of "email". */
export function normalizeName(name: string): string {
  return name.trim().toLowerCase();
}

/** Pure. Whether the customer opted out of `channel`, directly or through `all`. */
export function isOptedOut(contact: ContactView, channel: string): boolean {
  const key = normalizeName(channel);
  if (contact.optedOut.includes(key)) return true;
  return contact.optedOut.includes(ALL_CHANNELS) && !contact.optedBackIn.includes(key);
}
