// Test support for this package (not exported from index.ts): a small catalog written inline as YAML that
// covers every way a journey can be halted, and a builder of valid events.
import { buildCatalog, type JourneyCatalog } from '@tactful/engine';
import { EXAMPLE_EVENTS, TactfulEvent, type EventType } from '@tactful/events';
import { parseJourney } from '@tactful/journeys';

function journey(id: string, version: number, head: string) {
  const yaml = `id: ${id}
version: ${version}
name: ${id}
trigger: { event: form.submitted, where: { formId: ${id} } }
reentry: never
${head}
machine:
  initial: hello
  states:
    hello:
      entry: { type: send, params: { template: ${id}-v${version}-hello } }
      after: { P1D: done }
    done: { type: final }
`;
  const parsed = parseJourney(yaml, `${id}.yaml`);
  if (parsed.journey === undefined || parsed.machine === undefined)
    throw new Error(JSON.stringify(parsed.problems));
  return { journey: parsed.journey, machine: parsed.machine };
}

/**
 * - `nurture` halts on a reply or a purchase and ends when `sku-adapter` is bought;
 * - `onboarding` halts on a reply; version 1 also on a click, version 2 no longer does;
 * - `prospects` excludes customers and halts on nothing;
 * - `trip` halts on nothing but ends when `trip-lisbon` is bought;
 * - `letter` has the topic `newsletter` (leaving it halts the journey).
 */
export const CATALOG: JourneyCatalog = buildCatalog([
  journey('nurture', 1, 'haltOn: [email.replied, purchase.completed]\nproducts: [sku-adapter]'),
  journey('onboarding', 1, 'haltOn: [email.replied, email.clicked]'),
  journey('onboarding', 2, 'haltOn: [email.replied]'),
  journey('prospects', 1, 'haltOn: []\naudience: { exclude: [customers] }'),
  journey('trip', 1, 'haltOn: []\nproducts: [trip-lisbon]'),
  journey('letter', 1, 'haltOn: []\ntopic: newsletter'),
]);

let counter = 0;

/** Pure but for a counter. A valid event of `type` for `subject`: the example of that type, overridden. */
export function eventOf(
  type: EventType,
  subject: string,
  data?: Record<string, unknown>,
  time = '2026-11-23T10:00:00Z',
): TactfulEvent {
  counter += 1;
  return TactfulEvent.parse({
    ...EXAMPLE_EVENTS[type],
    id: `evt-${type}-${counter}`,
    subject,
    time,
    ...(data === undefined ? {} : { data }),
  });
}
