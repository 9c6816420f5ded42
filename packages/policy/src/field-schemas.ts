/** Field schemas shared by the policy file and the contact view. */
import { parseIsoDuration } from '@tactful/events';
import { z } from 'zod';
import { isValidTimeZone } from './zoned-time';

/** An IANA time zone name the runtime knows, e.g. `Europe/Berlin`. */
export const TimeZoneName = z.string().refine(isValidTimeZone, {
  error: (issue) =>
    `${JSON.stringify(issue.input)} is not an IANA time zone known to this runtime (e.g. Europe/Berlin, UTC)`,
});
export type TimeZoneName = z.infer<typeof TimeZoneName>;

/** A wall-clock time `HH:MM` on a 24-hour clock. */
export const ClockTime = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, {
  error: (issue) => `${JSON.stringify(issue.input)} must be a time "HH:MM" on a 24-hour clock, e.g. "21:00"`,
});
export type ClockTime = z.infer<typeof ClockTime>;

/** An ISO 8601 duration of fixed length (`PnWnDTnHnMnS`, any part left out), kept as written. */
export const IsoDuration = z.string().superRefine((text, ctx) => {
  const parsed = parseIsoDuration(text);
  if ('error' in parsed) ctx.addIssue({ code: 'custom', message: parsed.error });
});
export type IsoDuration = z.infer<typeof IsoDuration>;
