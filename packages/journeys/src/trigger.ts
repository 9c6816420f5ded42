import { z } from 'zod';
import { DataPath, DataValue, dataMatches } from './data-path';
import { JourneyEventType } from './journey-event-type';
import { strictObject } from './schema-messages';

/** What starts a journey: an event type and, optionally, equality on its data (dotted paths allowed). */
export const Trigger = strictObject(
  { event: JourneyEventType, where: z.record(DataPath, DataValue).optional() },
  'trigger',
);
export type Trigger = z.infer<typeof Trigger>;

/** Pure. True when an event of this type and data starts the journey. */
export function triggerMatches(trigger: Trigger, event: { type: string; data?: unknown }): boolean {
  return event.type === trigger.event && dataMatches(trigger.where ?? {}, event.data);
}
