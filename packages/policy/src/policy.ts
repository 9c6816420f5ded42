/**
 * The contact policy file (CONTRACT.md section 5). Every field has a default, so a partial file, or an
 * empty one, is a whole policy; unknown fields are refused so that a misspelt limit is never ignored.
 */
import { z } from 'zod';
import { ClockTime, IsoDuration, TimeZoneName } from './field-schemas';
import { SEND_HISTORY_LIMIT } from './contact-view';

/** The value of every field a policy file leaves out. */
export const POLICY_DEFAULTS = {
  frequency: { maxPerDay: 1, maxPerWeek: 3, minGap: 'PT12H' },
  quietHours: { start: '21:00', end: '08:00', defaultTimezone: 'UTC' },
  blastGuard: { maxPerHour: 3 },
} as const;

// The contact view keeps at most SEND_HISTORY_LIMIT sends, so no limit may count more than that.
const count = (fallback: number) =>
  z
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be at least 1' })
    .max(SEND_HISTORY_LIMIT, { error: `must be at most ${SEND_HISTORY_LIMIT}` })
    .default(fallback);

export const Frequency = z.strictObject({
  /** Messages per customer per rolling 24 h, across all journeys and channels. */
  maxPerDay: count(POLICY_DEFAULTS.frequency.maxPerDay),
  /** Messages per customer per rolling 7 days. */
  maxPerWeek: count(POLICY_DEFAULTS.frequency.maxPerWeek),
  /** Least time between two messages to one customer. */
  minGap: IsoDuration.default(POLICY_DEFAULTS.frequency.minGap),
});
export type Frequency = z.infer<typeof Frequency>;

export const QuietHours = z.strictObject({
  /** Start of quiet hours on the customer's wall clock; equal to `end` means no quiet hours. */
  start: ClockTime.default(POLICY_DEFAULTS.quietHours.start),
  end: ClockTime.default(POLICY_DEFAULTS.quietHours.end),
  /** Used for customers who have not told us their time zone. */
  defaultTimezone: TimeZoneName.default(POLICY_DEFAULTS.quietHours.defaultTimezone),
});
export type QuietHours = z.infer<typeof QuietHours>;

export const BlastGuard = z.strictObject({
  /** Hard ceiling of messages per customer per rolling hour; reaching it halts and alerts. */
  maxPerHour: count(POLICY_DEFAULTS.blastGuard.maxPerHour),
});
export type BlastGuard = z.infer<typeof BlastGuard>;

export const Policy = z.strictObject({
  frequency: Frequency.prefault({}),
  quietHours: QuietHours.prefault({}),
  blastGuard: BlastGuard.prefault({}),
});
export type Policy = z.infer<typeof Policy>;

/** The policy of an empty file. */
export const DEFAULT_POLICY: Policy = Policy.parse({});
