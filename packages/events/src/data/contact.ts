import { z } from 'zod';
import { Name, Timestamp } from '../fields';

// What the person said about being contacted. An opt-out halts every journey and is checked again by
// the dispatcher before each send, whatever the backlog.

export const CONTACT_CHANNELS = ['email', 'all'] as const;

/** The channel an opt-out or opt-in is about. */
export const ContactChannel = z.enum(CONTACT_CHANNELS);
export type ContactChannel = z.infer<typeof ContactChannel>;

/**
 * An absent `channel` means every channel (CONTRACT.md section 3). The schema does not fill it in, so
 * a parsed event stays exactly what was sent; readers use `channel ?? DEFAULT_CONTACT_CHANNEL`.
 */
export const DEFAULT_CONTACT_CHANNEL: ContactChannel = 'all';

/** `contact.opted_out`: stop contacting this person (on `channel`, default every channel). */
export const ContactOptedOutData = z
  .looseObject({
    channel: ContactChannel.optional().describe('`email` or `all`; absent means `all`.'),
  })
  .describe('Stop contacting this person (on channel; absent means every channel).');
export type ContactOptedOutData = z.infer<typeof ContactOptedOutData>;

/** `contact.opted_in`: the person may be contacted again (on `channel`, default every channel). */
export const ContactOptedInData = z
  .looseObject({
    channel: ContactChannel.optional().describe('`email` or `all`; absent means `all`.'),
  })
  .describe('The person may be contacted again (on channel; absent means every channel).');
export type ContactOptedInData = z.infer<typeof ContactOptedInData>;

// Intl knows the IANA database the policy will use to compute quiet hours, so it is the judge; a
// name it refuses here would fail later, at send time. The pattern keeps out UTC offsets ("+02:00"),
// which are not places and do not follow daylight saving time.
const IANA_ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

/** Pure. Whether Intl knows `name` as a time zone. */
export function isKnownTimeZone(name: string): boolean {
  if (!IANA_ZONE_NAME.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
}

/** An IANA time zone name (`Europe/Berlin`, `UTC`). */
export const TimeZoneName = z
  .string()
  .max(64)
  .regex(IANA_ZONE_NAME, 'must be an IANA time zone name')
  .refine(isKnownTimeZone, 'unknown time zone');

/** `contact.preferences_updated`: what the person told us about being contacted. */
export const ContactPreferencesUpdatedData = z
  .looseObject({
    doNotContactUntil: z
      .union([z.iso.date(), Timestamp])
      .optional()
      .describe(
        'No message before this: a date (YYYY-MM-DD, read in the customer time zone) or an RFC 3339 date-time.',
      ),
    timezone: TimeZoneName.optional().describe('IANA time zone name, used for quiet hours.'),
    topicsOptedOut: z.array(Name).optional().describe('Topics the person no longer wants to hear about.'),
    note: z.string().optional().describe('Free text from the person or the agent (personal data).'),
  })
  .describe('What the person told us about being contacted.');
export type ContactPreferencesUpdatedData = z.infer<typeof ContactPreferencesUpdatedData>;
