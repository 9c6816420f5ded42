import { z } from 'zod';
import { EVENT_TYPES, PUBLIC_EVENT_TYPES } from '@tactful/events';

const PUBLIC: ReadonlySet<string> = new Set(PUBLIC_EVENT_TYPES);
const ALL: ReadonlySet<string> = new Set(EVENT_TYPES);

function eventTypeError(input: unknown): string {
  if (typeof input === 'string' && ALL.has(input) && !PUBLIC.has(input)) {
    return `"${input}" is internal to Tactful and cannot be named in a journey; wait with "after" instead`;
  }
  return `unknown event type ${JSON.stringify(input)}; known: ${PUBLIC_EVENT_TYPES.join(', ')}`;
}

/** An event type a journey may name: a public one (internal ones such as `timer.fired` are refused). */
export const JourneyEventType = z.enum(PUBLIC_EVENT_TYPES, { error: (issue) => eventTypeError(issue.input) });
export type JourneyEventType = z.infer<typeof JourneyEventType>;

/** The same rule for the keys of `on`, which zod cannot take from an enum without requiring every key. */
export const JourneyEventKey = z
  .string()
  .refine((key) => PUBLIC.has(key), { error: (issue) => eventTypeError(issue.input) });
