import { z } from 'zod';

const nonEmpty = z.string().min(1, 'must be a non-empty string');

/** Where an event was read: its partition of `N.events` and its offset there, as kafkajs gives it. */
export const EventPosition = z.object({
  partition: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  /** A decimal string (Kafka offsets are 64-bit). */
  offset: z.string().regex(/^\d+$/, 'must be a decimal offset'),
});
export type EventPosition = z.infer<typeof EventPosition>;

/**
 * A halt the sentinel saw before the orchestrator reached it. The sentinel reads only halting events and
 * marks the customer at once, so a reply or an opt-out stops sends within milliseconds even while the
 * orchestrator is far behind: the engine suppresses every send a mark covers, the dispatcher drops every
 * command a mark covers, and the halt itself happens when the orchestrator applies the marked event (its
 * commit deletes the mark). Stored in Redis as this JSON, one per halting event id (`@tactful/store-redis`);
 * parsing keeps only these fields, so marks compare and print the same wherever they were read.
 */
export const HaltMark = z.object({
  /** The halting event; marking the same event twice keeps one mark. */
  eventId: nonEmpty,
  /** Its CloudEvents type (`email.replied`, `contact.opted_out`, …). */
  type: nonEmpty,
  /** Epoch milliseconds (≥ 0): when the event happened. */
  at: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  /** The journeys it halts; absent means every journey. */
  journeys: z.array(nonEmpty).optional(),
  /** An opt-out: nothing at all may be sent after it. */
  optOut: z.boolean().optional(),
  /** Topics the person left (`contact.preferences_updated`): no send of these topics, in any journey. */
  topics: z.array(nonEmpty).optional(),
  /**
   * Where the sentinel read the event: the mark is stale once the customer's record has applied that
   * position, however many events came after it.
   */
  position: EventPosition.optional(),
});
export type HaltMark = z.infer<typeof HaltMark>;

/**
 * Pure. Whether `mark` forbids a send of `journey` (on `topic`): an opt-out, a mark of every journey, one
 * that names the journey, or one of a topic the person left (compared trimmed and case-blind). The one
 * answer the engine, the dispatcher and the tools share.
 */
export function haltMarkCovers(mark: HaltMark, journey: string, topic?: string): boolean {
  if (mark.optOut === true || mark.journeys === undefined || mark.journeys.includes(journey)) return true;
  if (topic === undefined || mark.topics === undefined) return false;
  const key = topic.trim().toLowerCase();
  return mark.topics.some((left) => left.trim().toLowerCase() === key);
}
