import { buildCatalog, migrationTarget, readVersionStages } from '@tactful/engine';
import { TactfulError } from '@tactful/events';
import type { LoadedJourney, Problem } from '@tactful/journeys';
import { createProbeClient, readCounters } from '@tactful/store-redis';

/** Whether the customers in flight could be checked, and what was found. */
export type InFlightCheck =
  | { readonly checked: true; readonly warnings: Problem[] }
  | { readonly checked: false; readonly reason: string };

/**
 * Pure. Warnings about the versions with customers in flight (by the per-version stage counts of the
 * journey counters) whose file is not among `loaded`: their customers are not stepped, unless a newer
 * version's `migrate` moves them.
 */
export function orphanWarnings(
  counters: Readonly<Record<string, number>>,
  loaded: readonly LoadedJourney[],
  dir: string,
): Problem[] {
  const catalog = buildCatalog(loaded);
  const files = new Set(loaded.map((j) => `${j.journey.id}@${j.journey.version}`));
  const orphaned = new Map<string, { moving: number; stranded: number }>();
  for (const { journey, version, stage, customers } of readVersionStages(counters)) {
    if (customers <= 0 || files.has(`${journey}@${version}`)) continue;
    const key = `${journey} v${version}`;
    const counts = orphaned.get(key) ?? { moving: 0, stranded: 0 };
    if (migrationTarget(catalog, journey, version, stage) === undefined) counts.stranded += customers;
    else counts.moving += customers;
    orphaned.set(key, counts);
  }
  return [...orphaned].map(([key, { moving, stranded }]) => ({
    file: dir,
    reason:
      `${key} has ${moving + stranded} customer(s) in flight (journey counts in Redis) and no file here: ` +
      (stranded === 0
        ? 'a migrate moves them all at their next event or timer'
        : `${stranded} of them are not stepped until its file is back or a migrate takes them` +
          (moving > 0 ? ` (a migrate moves ${moving})` : '')) +
      '; tactful journeys status counts them from the records',
  }));
}

/**
 * Reads the journey counters of the namespace if Redis answers (one attempt, a short timeout) and warns
 * about orphaned versions; `checked: false` when it cannot be reached, so a check offline stays quiet.
 */
export async function checkInFlight(options: {
  readonly redisUrl: string;
  readonly namespace: string;
  readonly dir: string;
  readonly loaded: readonly LoadedJourney[];
}): Promise<InFlightCheck> {
  const redis = createProbeClient(options.redisUrl);
  let lastError: Error | undefined;
  // the connection's failures are what `connect()` rejects with; recorded, not printed by ioredis
  redis.on('error', (err: Error) => (lastError = err));
  try {
    await redis.connect();
  } catch (err) {
    return { checked: false, reason: `Redis not reachable: ${(lastError ?? (err as Error)).message}` };
  }
  try {
    const counters = await readCounters({ redis, namespace: options.namespace });
    return { checked: true, warnings: orphanWarnings(counters, options.loaded, options.dir) };
  } catch (err) {
    // a namespace of another layout cannot be counted: said as a warning, the files are still checked
    if (!(err instanceof TactfulError) || err.code !== 'config.invalid') throw err;
    return {
      checked: true,
      warnings: [{ file: options.dir, reason: `customers in flight not checked: ${err.message}` }],
    };
  } finally {
    redis.disconnect();
  }
}
