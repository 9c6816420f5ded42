import { exitFor, type JourneyCatalog } from '@tactful/engine';
import type { TactfulEvent } from '@tactful/events';
import type { HaltMark } from '@tactful/store-redis';

/**
 * Pure. The mark a halting event puts on its customer, or undefined when it halts nothing loaded:
 * - `contact.opted_out` (any channel: email is the only one) → `optOut`: nothing at all may be sent;
 * - `email.bounced` with `hard: true` → every journey (`journeys` absent): every journey sends email
 *   today, and a version the catalog no longer holds is assumed to, as the engine assumes;
 * - anything else → the journeys the engine itself would end for this event (`exitFor` over every
 *   version in the catalog: `haltOn`, `products` for a purchase, `audience.exclude` for a new customer).
 *   A journey is named if any of its versions is ended, since a mark names journeys, not versions;
 * - without a catalog, a reply or a purchase marks every journey: a mark lives only until the
 *   orchestrator applies the event, so being broad costs little and being narrow could break invariant 4.
 */
export function haltMarkFor(event: TactfulEvent, catalog: JourneyCatalog | undefined): HaltMark | undefined {
  // an event dated before 1970 still halts; the store keeps times as epoch ms ≥ 0
  const base = { eventId: event.id, type: event.type, at: Math.max(0, Date.parse(event.time)) };
  if (event.type === 'contact.opted_out') return { ...base, optOut: true };
  if (event.type === 'email.bounced') return event.data.hard ? base : undefined;
  if (catalog === undefined) {
    return event.type === 'email.replied' || event.type === 'purchase.completed' ? base : undefined;
  }
  const journeys = new Set<string>();
  for (const entry of catalog.versions.values()) {
    if (exitFor(event, entry.journey, entry.channels) !== undefined) journeys.add(entry.journey.id);
  }
  if (journeys.size === 0) return undefined;
  return { ...base, journeys: [...journeys].sort() };
}
