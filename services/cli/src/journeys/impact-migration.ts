import { buildCatalog, createInFlightCounter, type InFlightVersion } from '@tactful/engine';
import { loadJourneys, type LoadedJourney } from '@tactful/journeys';
import { scanCustomers, type ReadOnlyOptions } from '@tactful/store-redis';

/** What a version's `migrate` would do to the customers in flight now, from the stored records. */
export interface MigrationImpact {
  /** The version its migrate names, and the version being tried. */
  readonly from: number;
  readonly to: number;
  /** Customer records read. */
  readonly records: number;
  /** Groups that would move at their next event or timer: from version and stage, to stage. */
  readonly moves: { version: number; from: string; to: string; customers: number }[];
  /** Customers of the version `migrate` names in a stage it does not name: they stay on it. */
  readonly staying: { stage: string; customers: number }[];
}

/** Pure. The migration impact of `candidate` on customers counted per version and stage. */
export function migrationImpact(
  candidate: LoadedJourney,
  inFlight: readonly InFlightVersion[],
  records: number,
): MigrationImpact | undefined {
  const { journey } = candidate;
  if (journey.migrate === undefined) return undefined;
  const mine = inFlight.filter((v) => v.journey === journey.id && v.version < journey.version);
  return {
    from: journey.migrate.from,
    to: journey.version,
    records,
    moves: mine.flatMap((v) =>
      v.stages.flatMap((s) =>
        s.movesTo?.version === journey.version
          ? [{ version: v.version, from: s.stage, to: s.movesTo.stage, customers: s.customers }]
          : [],
      ),
    ),
    staying: mine
      .filter((v) => v.version === journey.migrate?.from)
      .flatMap((v) => v.stages.filter((s) => s.movesTo === undefined))
      .map(({ stage, customers }) => ({ stage, customers })),
  };
}

/**
 * Reads every customer record of the namespace (read-only) and counts where `candidate`'s migrate
 * would move the customers in flight on its older versions, with the other versions of its id from
 * `journeysDir` beside it (a migrate of theirs may lead there first).
 */
export async function readMigrationImpact(
  options: ReadOnlyOptions & { readonly candidate: LoadedJourney; readonly journeysDir?: string },
): Promise<MigrationImpact | undefined> {
  const { journey } = options.candidate;
  if (journey.migrate === undefined) return undefined;
  const loaded = options.journeysDir === undefined ? [] : (await loadJourneys(options.journeysDir)).journeys;
  const versions = loaded.filter((j) => j.journey.id === journey.id && j.journey.version !== journey.version);
  const catalog = buildCatalog([...versions, options.candidate]);
  const counter = createInFlightCounter();
  let records = 0;
  for await (const page of scanCustomers(options)) {
    for (const customer of page) counter.add(customer.state);
    records += page.length;
  }
  return migrationImpact(options.candidate, counter.result(catalog), records);
}

const n = (value: number) => value.toLocaleString('en-US');

/** Pure. The migration impact as lines of the dry run's report. */
export function renderMigrationImpact(impact: MigrationImpact): string[] {
  const moving = impact.moves.reduce((sum, m) => sum + m.customers, 0);
  const staying = impact.staying.reduce((sum, s) => sum + s.customers, 0);
  const lines = [
    '',
    `in flight now (${n(impact.records)} customer records read from Redis)`,
    `would move to v${impact.to}      ${n(moving).padStart(8)} customers, at their next event or timer`,
  ];
  const width = Math.max(20, ...impact.moves.map((m) => `v${m.version} ${m.from} → ${m.to}`.length));
  for (const m of impact.moves)
    lines.push(`  ${`v${m.version} ${m.from} → ${m.to}`.padEnd(width)} ${n(m.customers).padStart(6)}`);
  lines.push(
    `stay on v${impact.from}            ${n(staying).padStart(8)} customers, in stages the migrate does not name`,
  );
  for (const s of impact.staying) lines.push(`  ${s.stage.padEnd(width)} ${n(s.customers).padStart(6)}`);
  return lines;
}
