import path from 'node:path';
import { buildCatalog, createInFlightCounter, type InFlightVersion } from '@tactful/engine';
import { loadJourneys, type Problem } from '@tactful/journeys';
import { scanCustomers, type ReadOnlyOptions } from '@tactful/store-redis';

export interface StatusOptions extends ReadOnlyOptions {
  /** TACTFUL_JOURNEYS: the versions whose files are there are stepped; the others are orphaned. */
  readonly journeysDir: string;
  /** The COUNT of each SCAN call. */
  readonly count?: number;
  readonly onProgress?: (customers: number) => void;
}

/** One version with customers in flight, with the file it is loaded from (null: orphaned). */
export interface StatusVersion extends InFlightVersion {
  readonly file: string | null;
}

/** What `tactful journeys status` reports. */
export interface StatusReport {
  readonly namespace: string;
  readonly journeysDir: string;
  /** Where the counts come from: the stored customer records, read in full. */
  readonly source: 'records';
  /** Customer records read. */
  readonly records: number;
  /** Customers in at least one journey. */
  readonly inFlight: number;
  readonly versions: readonly StatusVersion[];
  /** Versions loaded from TACTFUL_JOURNEYS with nobody in them, as `id vN`. */
  readonly empty: readonly string[];
  /** Files of TACTFUL_JOURNEYS the services would refuse (their versions count as orphaned). */
  readonly problems: readonly Problem[];
  readonly warnings: readonly Problem[];
}

/**
 * Reads every customer record of the namespace (read-only, SCAN page by page) and the journey files of
 * TACTFUL_JOURNEYS, and reports each version with customers in flight: per stage, and whether its file
 * is there, or a newer version moves them (`migrate`), or nothing will (stranded).
 */
export async function runStatus(options: StatusOptions): Promise<StatusReport> {
  const loaded = await loadJourneys(options.journeysDir);
  const catalog = buildCatalog(loaded.journeys);
  const counter = createInFlightCounter();
  let records = 0;
  for await (const page of scanCustomers({
    redis: options.redis,
    namespace: options.namespace,
    ...(options.count === undefined ? {} : { count: options.count }),
  })) {
    for (const customer of page) counter.add(customer.state);
    records += page.length;
    options.onProgress?.(records);
  }
  const fileOf = new Map(
    loaded.journeys.map((j) => [
      `${j.journey.id}@${j.journey.version}`,
      path.relative(process.cwd(), j.file),
    ]),
  );
  const versions = counter
    .result(catalog)
    .map((v) => ({ ...v, file: fileOf.get(`${v.journey}@${v.version}`) ?? null }));
  const busy = new Set(versions.map((v) => `${v.journey}@${v.version}`));
  return {
    namespace: options.namespace,
    journeysDir: options.journeysDir,
    source: 'records',
    records,
    inFlight: counter.customers,
    versions,
    empty: loaded.journeys
      .filter((j) => !busy.has(`${j.journey.id}@${j.journey.version}`))
      .map((j) => `${j.journey.id} v${j.journey.version}`)
      .sort(),
    problems: loaded.problems,
    warnings: loaded.warnings,
  };
}

/** Pure. The customers of orphaned versions that no newer version moves: they are never stepped again. */
export function strandedOf(report: Pick<StatusReport, 'versions'>): number {
  return report.versions
    .filter((v) => !v.loaded)
    .flatMap((v) => v.stages)
    .filter((s) => s.movesTo === undefined)
    .reduce((sum, s) => sum + s.customers, 0);
}
