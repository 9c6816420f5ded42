import { haltScope, markTopics, type JourneyCatalog } from '@tactful/engine';
import type { HaltMark, TactfulEvent } from '@tactful/events';

/**
 * Pure. The mark a halting event puts on its customer, or undefined when it halts nothing loaded. The
 * journeys are those of `haltScope` (the engine's own answer, which its fences use too):
 * - `contact.opted_out` (any channel: email is the only one) → `optOut`: nothing at all may be sent;
 * - `email.bounced` with `hard: true` → every journey (`journeys` absent);
 * - anything else → the journeys the engine itself ends for this event, over every version in the
 *   catalog. A journey is named if any of its versions is ended, since a mark names journeys, not versions;
 * - `contact.preferences_updated` leaving topics → `topics`, and `journeys`: those whose `topic` is left
 *   (none when no journey has it: the mark stops the sends of those topics, wherever they are);
 * - without a catalog, a reply or a purchase marks every journey: a mark lives only until the
 *   orchestrator applies the event, so being broad costs little and being narrow could break invariant 4.
 */
export function haltMarkFor(event: TactfulEvent, catalog: JourneyCatalog | undefined): HaltMark | undefined {
  // an event dated before 1970 still halts; the store keeps times as epoch ms ≥ 0
  const base = { eventId: event.id, type: event.type, at: Math.max(0, Date.parse(event.time)) };
  if (event.type === 'contact.opted_out') return { ...base, optOut: true };
  const topics = markTopics(event);
  if (catalog === undefined) {
    if (topics !== undefined) return { ...base, journeys: [], topics };
    const everything =
      event.type === 'email.replied' ||
      event.type === 'purchase.completed' ||
      (event.type === 'email.bounced' && event.data.hard);
    return everything ? base : undefined;
  }
  const scope = haltScope(event, catalog);
  if (topics !== undefined)
    return { ...base, journeys: scope === undefined || scope.all ? [] : [...scope.journeys], topics };
  if (scope === undefined) return undefined;
  return scope.all ? base : { ...base, journeys: [...scope.journeys] };
}
