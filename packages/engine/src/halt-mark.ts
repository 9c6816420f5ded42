import { z } from 'zod';

/**
 * A halt the sentinel saw before the orchestrator reached it: it reads only halting events and marks
 * the customer at once, so a reply or an opt-out stops sends within milliseconds even while the
 * orchestrator is far behind. The engine suppresses every send a mark covers; the halt itself happens
 * when the orchestrator reaches the marked event.
 */
export const HaltMark = z.object({
  /** The marked event; the orchestrator drops the mark once it has applied that event. */
  eventId: z.string(),
  type: z.string(),
  at: z.string(),
  /** The journeys it halts; absent means every journey. */
  journeys: z.array(z.string()).optional(),
  /** An opt-out: nothing at all may be sent. */
  optOut: z.boolean().optional(),
  /** Topics the person left (`contact.preferences_updated`): no send of these topics, in any journey. */
  topics: z.array(z.string()).optional(),
});
export type HaltMark = z.infer<typeof HaltMark>;

/**
 * Pure. Whether `mark` forbids a send of `journey` on `topic`: an opt-out, a mark of every journey, one
 * that names the journey, or one of a topic the person left (compared trimmed and case-blind).
 */
export function markCovers(mark: HaltMark, journey: string, topic?: string): boolean {
  if (mark.optOut === true || mark.journeys === undefined || mark.journeys.includes(journey)) return true;
  if (topic === undefined || mark.topics === undefined) return false;
  const key = topic.trim().toLowerCase();
  return mark.topics.some((left) => left.trim().toLowerCase() === key);
}

/**
 * Pure. The mark that forbids a send of `journey` (on `topic`) while `eventId` is being applied, if
 * any. The mark of the event being applied is skipped: that event is applied now, with its exact
 * meaning, so its mark must not also suppress what it legitimately starts (a purchase entering the
 * post-purchase journey).
 */
export function coveringMark(
  marks: readonly HaltMark[],
  journey: string,
  eventId: string,
  topic?: string,
): HaltMark | undefined {
  return marks.find((mark) => mark.eventId !== eventId && markCovers(mark, journey, topic));
}
