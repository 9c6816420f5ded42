import type { JourneyCatalog } from '@tactful/engine';

/**
 * The event types that halt whatever journeys are loaded: an opt-out (everything), a hard bounce (every
 * email journey), and a reply or a purchase, which the architecture promises to honour at once.
 */
export const ALWAYS_HALTING_TYPES = [
  'contact.opted_out',
  'email.bounced',
  'email.replied',
  'purchase.completed',
] as const;

/**
 * Pure. Every event type that can halt a journey of `catalog`: the four above, every type some version
 * lists in `haltOn`, `customer.status_changed` when a journey excludes customers (the engine halts
 * it when the person becomes one), and `contact.preferences_updated` when a journey or a send has a
 * topic (leaving it stops them). Reading these and nothing else is what lets the sentinel keep up
 * with the whole topic while covering every halt the engine would apply.
 */
export function haltingTypes(catalog: JourneyCatalog | undefined): ReadonlySet<string> {
  const types = new Set<string>(ALWAYS_HALTING_TYPES);
  for (const entry of catalog?.versions.values() ?? []) {
    for (const type of entry.journey.haltOn) types.add(type);
    if (entry.prospecting) types.add('customer.status_changed');
    if (entry.topics.length > 0) types.add('contact.preferences_updated');
  }
  return types;
}
