import path from 'node:path';
import { buildCatalog, type JourneyCatalog } from '@tactful/engine';
import { topicsFor, type TactfulEvent } from '@tactful/events';
import { loadJourneys } from '@tactful/journeys';
import { parsePolicyOrThrow } from '@tactful/policy';
import type { Store } from '@tactful/store-redis';
import type { ApplyContext } from './customer-apply';

// What the orchestrator's tests on the real store share: the example journeys under a policy that keeps
// caps and quiet hours out of the way, and events of their own.

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const POLICY = `frequency: { maxPerDay: 50, maxPerWeek: 100, minGap: PT0S }
quietHours: { start: "00:00", end: "00:00", defaultTimezone: UTC }
blastGuard: { maxPerHour: 40 }
`;

/** The apply context of the example journeys (through `wrap`, e.g. to make a step throw) for `store`. */
export async function contextFor(
  namespace: string,
  store: Store,
  wrap: (catalog: JourneyCatalog) => JourneyCatalog = (catalog) => catalog,
): Promise<ApplyContext> {
  const catalog = buildCatalog((await loadJourneys(path.join(ROOT, 'journeys'))).journeys);
  return {
    step: { catalog: wrap(catalog), policy: parsePolicyOrThrow(POLICY, 'policy.yaml') },
    now: new Date(),
    topics: topicsFor(namespace),
    recentEventIds: store.recentEventIds,
  };
}

/** Makes events with ids `evt-<prefix>-1`, `-2`, … from `source`. */
export function eventMaker(
  prefix: string,
  source: string,
): (type: TactfulEvent['type'], subject: string, data: Record<string, unknown>) => TactfulEvent {
  let n = 0;
  return (type, subject, data) => {
    n += 1;
    return {
      specversion: '1.0',
      id: `evt-${prefix}-${n}`,
      source,
      type,
      subject,
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      data,
    } as TactfulEvent;
  };
}
