import { compare } from './catalog';

// Customers per stage of each version of a journey, kept beside the journey counts (`tallyStep` adds
// them to the same atomic commit): the console draws each version's diagram with the customers in each
// of its stages now. A field of its own shape, which `readTally` skips.

const KIND = 'version-stage';

/** Pure. The counter name of the customers in one stage of one version of a journey. */
export function versionStageField(journey: string, version: number, stage: string): string {
  return JSON.stringify([KIND, journey, version, stage]);
}

/** Customers in one stage of one version now. */
export interface VersionStageCount {
  readonly journey: string;
  readonly version: number;
  readonly stage: string;
  readonly customers: number;
}

/** Pure. The per-version stage counts in a set of counters (`store.counters()`); others are ignored. */
export function readVersionStages(counters: Readonly<Record<string, number>>): VersionStageCount[] {
  const found: VersionStageCount[] = [];
  for (const [field, customers] of Object.entries(counters)) {
    if (!field.startsWith(`["${KIND}",`)) continue;
    const parsed = parseField(field);
    if (!Array.isArray(parsed) || parsed.length !== 4) continue;
    const [, journey, version, stage] = parsed as unknown[];
    if (typeof journey !== 'string' || typeof stage !== 'string' || !Number.isSafeInteger(version)) continue;
    found.push({ journey, version: version as number, stage, customers });
  }
  return found.sort(
    (a, b) => compare(a.journey, b.journey) || a.version - b.version || compare(a.stage, b.stage),
  );
}

function parseField(field: string): unknown {
  try {
    return JSON.parse(field) as unknown;
  } catch (err) {
    // a counter someone else named: not ours to read
    if (err instanceof SyntaxError) return undefined;
    throw err;
  }
}
