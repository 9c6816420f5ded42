import { parseDocument } from 'yaml';
import { z } from 'zod';
import type { Result, TactfulEvent } from '@tactful/events';
import { EVENT_SCHEMAS, err, ok, parseIsoDuration, PUBLIC_EVENT_TYPES } from '@tactful/events';
import {
  applyPreferences,
  applyStatusChange,
  CustomerStatus,
  DoNotContactUntil,
  TimeZoneName,
} from '@tactful/policy';
import type { CustomerState } from './customer-state';

// A timeline for `tactful journeys simulate` (CONTRACT.md section 7): one person's events, each at an
// ISO 8601 offset on a virtual clock, and optionally who the person is at the start.

/** An offset on the virtual clock: an ISO 8601 duration of fixed length, zero allowed (`P0D`). */
export const TimelineOffset = z.string().superRefine((value, ctx) => {
  const parsed = parseIsoDuration(value);
  if ('error' in parsed) ctx.addIssue({ code: 'custom', message: parsed.error });
});
export type TimelineOffset = z.infer<typeof TimelineOffset>;

/** What is known of the person before the first event (what forms and preferences would have told). */
export const TimelineProfile = z.strictObject({
  email: z.string().optional(),
  name: z.string().optional(),
  fields: z.record(z.string(), z.string()).optional(),
  status: CustomerStatus.optional(),
  timezone: TimeZoneName.optional(),
  doNotContactUntil: DoNotContactUntil.optional(),
  topicsOptedOut: z.array(z.string()).optional(),
});
export type TimelineProfile = z.infer<typeof TimelineProfile>;

export const TimelineEvent = z.strictObject({
  /** When, after the start of the virtual clock. */
  at: TimelineOffset,
  /** A public event type; `timer.fired` and the rest of the clock's work is the simulator's. */
  type: z.enum(PUBLIC_EVENT_TYPES),
  data: z.record(z.string(), z.unknown()).default({}),
  /** The event id; by default `evt-<n>` in file order. */
  id: z.string().min(1).optional(),
});
export type TimelineEvent = z.infer<typeof TimelineEvent>;

export const Timeline = z
  .strictObject({
    customer: z.string().min(1).optional(),
    profile: TimelineProfile.optional(),
    /** Where the virtual clock starts (ISO 8601 instant); by default when the simulation runs. */
    start: z.iso.datetime({ offset: true }).optional(),
    events: z.array(TimelineEvent).min(1, { error: 'a timeline needs at least one event' }),
    /** How long the clock runs after the last event; by default until nothing is left to happen. */
    until: TimelineOffset.optional(),
  })
  .superRefine((timeline, ctx) => {
    let previous = 0;
    timeline.events.forEach((event, index) => {
      const at = offsetMs(event.at);
      if (at < previous)
        ctx.addIssue({
          code: 'custom',
          path: ['events', index, 'at'],
          message: `${event.at} is earlier than the event before it; list the events in time order`,
        });
      previous = Math.max(previous, at);
      const checked = EVENT_SCHEMAS[event.type].shape.data.safeParse(event.data);
      if (!checked.success)
        for (const issue of checked.error.issues)
          ctx.addIssue({ ...issue, path: ['events', index, 'data', ...issue.path] } as z.core.$ZodRawIssue);
    });
  });
export type Timeline = z.infer<typeof Timeline>;

/** Pure. The milliseconds of an offset that passed the schema. */
export function offsetMs(offset: string): number {
  const parsed = parseIsoDuration(offset);
  return 'ms' in parsed ? parsed.ms : 0;
}

/**
 * Pure. A timeline (or a profile) file's text, YAML or JSON (`.json`), checked: the value, or every
 * problem as `file: path: reason`.
 */
export function parseTimelineText<S extends z.ZodType>(
  schema: S,
  text: string,
  file: string,
): Result<z.infer<S>, string[]> {
  let value: unknown;
  if (file.endsWith('.json')) {
    try {
      value = JSON.parse(text) as unknown;
    } catch (error) {
      return err([`${file}: not valid JSON: ${(error as Error).message}`]);
    }
  } else {
    const document = parseDocument(text);
    if (document.errors.length > 0)
      return err(document.errors.map((e) => `${file}: not valid YAML: ${e.message}`));
    value = document.toJS() as unknown;
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return ok(parsed.data);
  return err(
    parsed.error.issues.map((issue) => {
      const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
      return `${file}: ${path === '' ? '' : `${path.replace(/^\./, '')}: `}${issue.message}`;
    }),
  );
}

/** Pure. The state of a person we know `profile` of, before their first event. */
export function stateWithProfile(state: CustomerState, profile: TimelineProfile | undefined): CustomerState {
  if (profile === undefined) return state;
  let contact = state.contact;
  if (profile.status !== undefined) contact = applyStatusChange(contact, profile.status);
  contact = applyPreferences(contact, {
    ...(profile.timezone === undefined ? {} : { timezone: profile.timezone }),
    ...(profile.doNotContactUntil === undefined ? {} : { doNotContactUntil: profile.doNotContactUntil }),
    ...(profile.topicsOptedOut === undefined ? {} : { topicsOptedOut: profile.topicsOptedOut }),
  });
  return {
    ...state,
    profile: {
      ...state.profile,
      ...(profile.email === undefined ? {} : { email: profile.email }),
      ...(profile.name === undefined ? {} : { name: profile.name }),
      fields: { ...state.profile.fields, ...profile.fields },
    },
    contact,
  };
}

/** Pure. The CloudEvents of a timeline for `customerId`, on the clock that starts at `start`. */
export function timelineEvents(timeline: Timeline, customerId: string, start: number): TactfulEvent[] {
  return timeline.events.map(
    (event, index) =>
      ({
        specversion: '1.0',
        id: event.id ?? `evt-${index + 1}`,
        source: 'tactful/simulation',
        type: event.type,
        subject: customerId,
        time: new Date(start + offsetMs(event.at)).toISOString(),
        datacontenttype: 'application/json',
        data: event.data,
      }) as TactfulEvent,
  );
}
