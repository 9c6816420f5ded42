import type { TactfulEvent } from '@tactful/events';
import { normalizeName } from '@tactful/policy';
import type { JourneyCatalog } from './catalog';
import { exitFor } from './halts';

/** Which journeys of a customer one halting event stops: all of them, or those named (journey ids). */
export type HaltScope =
  { readonly all: true } | { readonly all: false; readonly journeys: readonly string[] };

/**
 * Pure. The journeys `event` halts, whether or not the customer is in them now, or undefined when it
 * halts nothing loaded. The one answer shared by the halt sentinel (its marks) and the engine (its
 * fences), so the two never disagree:
 * - `contact.opted_out` (any channel: email is the only one) and a hard `email.bounced` → every journey
 *   (every journey sends email today, and a version the catalog no longer holds is assumed to);
 * - anything else → the journeys the engine ends for this event (`exitFor` over every version of the
 *   catalog: `haltOn`, `products` for a purchase, `audience.exclude` for a new customer, `topic` for a
 *   topic left), by journey id:
 *   a journey is named when any of its versions is ended, since customers of an old version share it.
 */
export function haltScope(event: TactfulEvent, catalog: JourneyCatalog): HaltScope | undefined {
  if (event.type === 'contact.opted_out') return { all: true };
  if (event.type === 'email.bounced') return event.data.hard ? { all: true } : undefined;
  const journeys = new Set<string>();
  for (const entry of catalog.versions.values()) {
    if (exitFor(event, entry.journey, entry.channels) !== undefined) journeys.add(entry.journey.id);
  }
  if (journeys.size === 0) return undefined;
  return { all: false, journeys: [...journeys].sort() };
}

/**
 * Pure. The topics a `contact.preferences_updated` says the person left (trimmed, lower case), or
 * undefined for any other event or an empty list: a halt mark carries them, so a send of one of those
 * topics in any journey (a send's own `topic`) is stopped before the orchestrator applies the event.
 */
export function markTopics(event: TactfulEvent): string[] | undefined {
  if (event.type !== 'contact.preferences_updated') return undefined;
  const topics = [...new Set((event.data.topicsOptedOut ?? []).map(normalizeName))].filter((t) => t !== '');
  return topics.length === 0 ? undefined : topics.sort();
}
