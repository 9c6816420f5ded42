import type { JourneyCatalog } from './catalog';
import { compare, journeyVersion } from './catalog';
import { ActiveJourney } from './customer-state';
import { migrationTarget } from './migration';

// Who is in flight where: customers per journey, version and stage, counted from stored states (the
// records are the ground truth), and what the catalog will do with each group: step them on their
// version, move them to a newer one at their next step (`migrate`), or nothing, when their version's
// file is gone and no version takes them (orphaned, stranded).

/** The customers in one stage of one version, and where a newer version moves them, if one does. */
export interface InFlightStage {
  readonly stage: string;
  readonly customers: number;
  /** The version and stage a `migrate` moves them to at their next step. */
  readonly movesTo?: { readonly version: number; readonly stage: string };
}

/** One version of a journey with customers in it. */
export interface InFlightVersion {
  readonly journey: string;
  readonly version: number;
  readonly customers: number;
  /** The catalog has this version: its customers are stepped. False: orphaned, its file is gone. */
  readonly loaded: boolean;
  readonly stages: readonly InFlightStage[];
}

/** Counts states one at a time, then says what the catalog does with each group. */
export interface InFlightCounter {
  /** A state as stored (the engine's `CustomerState` as JSON); only its active journeys are read. */
  add(state: unknown): void;
  /** Customers counted so far (a customer in two journeys counts once). */
  readonly customers: number;
  result(catalog: JourneyCatalog): InFlightVersion[];
}

/** The journey, version and stage of each active journey of a stored state, read without parsing the rest. */
function activeOf(state: unknown): { journey: string; version: number; stage: string }[] {
  if (typeof state !== 'object' || state === null) return [];
  const active = (state as { active?: unknown }).active;
  if (typeof active !== 'object' || active === null) return [];
  return Object.entries(active).flatMap(([journey, value]) => {
    const { version, stage } = (value ?? {}) as { version?: unknown; stage?: unknown };
    if (typeof version === 'number' && typeof stage === 'string') return [{ journey, version, stage }];
    // a state stored before stages were kept: its snapshot says the stage
    const parsed = ActiveJourney.safeParse(value);
    return parsed.success ? [{ journey, version: parsed.data.version, stage: parsed.data.stage }] : [];
  });
}

/** Pure. A counter of customers in flight per journey, version and stage. */
export function createInFlightCounter(): InFlightCounter {
  const counts = new Map<string, Map<number, Map<string, number>>>();
  let customers = 0;
  return {
    add(state) {
      const active = activeOf(state);
      if (active.length > 0) customers += 1;
      for (const { journey, version, stage } of active) {
        let versions = counts.get(journey);
        if (versions === undefined) counts.set(journey, (versions = new Map()));
        let stages = versions.get(version);
        if (stages === undefined) versions.set(version, (stages = new Map()));
        stages.set(stage, (stages.get(stage) ?? 0) + 1);
      }
    },
    get customers() {
      return customers;
    },
    result(catalog) {
      const found: InFlightVersion[] = [];
      for (const [journey, versions] of counts)
        for (const [version, stages] of versions) {
          const list = [...stages]
            .sort(([a], [b]) => compare(a, b))
            .map(([stage, n]): InFlightStage => {
              const target = migrationTarget(catalog, journey, version, stage);
              return target === undefined
                ? { stage, customers: n }
                : {
                    stage,
                    customers: n,
                    movesTo: { version: target.entry.journey.version, stage: target.stage },
                  };
            });
          found.push({
            journey,
            version,
            customers: list.reduce((sum, s) => sum + s.customers, 0),
            loaded: journeyVersion(catalog, journey, version) !== undefined,
            stages: list,
          });
        }
      return found.sort((a, b) => compare(a.journey, b.journey) || b.version - a.version);
    },
  };
}
