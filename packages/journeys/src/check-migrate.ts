import type { CompiledJourney } from './compile-steps';
import type { Journey } from './journey';
import type { Problem } from './problem';

// The checks of `migrate`. Those that need only the file itself run with its other checks (the version
// it names is older, every stage it moves customers to is one of its own); those that need the older
// version run when a folder is loaded, since that version is another file (or no file at all any more).

/** What the folder checks need of one loaded version. */
export interface MigrateCheckInput {
  readonly file: string;
  readonly journey: Journey;
  readonly compiled: CompiledJourney;
}

/** Problems refuse the file; warnings are said and the file is loaded. */
export interface MigrateFindings {
  readonly problems: Problem[];
  readonly warnings: Problem[];
}

const list = (names: readonly string[]): string => names.join(', ');

/** Pure. The stages a customer can wait in: every reachable stage that does not end the journey. */
export function waitingStages(compiled: CompiledJourney): string[] {
  return [...compiled.stages].filter(([, stage]) => !stage.done).map(([name]) => name);
}

/** Pure. The checks of `migrate` that need the file alone. */
export function checkMigrateTargets(file: string, journey: Journey, compiled: CompiledJourney): Problem[] {
  const { migrate } = journey;
  if (migrate === undefined) return [];
  const problems: Problem[] = [];
  if (migrate.from >= journey.version)
    problems.push({
      file,
      reason: `migrate.from: version ${journey.version} can only take customers of an older version, not of version ${migrate.from}`,
    });
  const stages = [...compiled.stages.keys()];
  for (const [from, to] of Object.entries(migrate.states)) {
    if (!compiled.stages.has(to))
      problems.push({
        file,
        statePath: from,
        reason: `migrate.states: moves to "${to}", which is no stage of version ${journey.version}; its stages: ${list(stages)}`,
      });
  }
  return problems;
}

/**
 * Pure. The checks of `migrate` against the versions loaded beside it: every stage it names must be
 * one a customer of the older version can wait in (a problem otherwise); the older version's stages
 * it does not name are listed (a warning: customers in them stay on that version); when the older
 * version is not loaded, its stages cannot be checked (a warning); and when two versions take the
 * customers of one, the higher does (a warning on the lower).
 */
export function checkMigrations(loaded: readonly MigrateCheckInput[]): MigrateFindings {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const byKey = new Map(loaded.map((item) => [`${item.journey.id}@${item.journey.version}`, item]));
  for (const { file, journey } of loaded) {
    const { migrate } = journey;
    if (migrate === undefined || migrate.from >= journey.version) continue;
    const older = byKey.get(`${journey.id}@${migrate.from}`);
    const named = Object.keys(migrate.states);
    const taker = loaded
      .filter((o) => o.journey.id === journey.id && o.journey.migrate?.from === migrate.from)
      .reduce((a, b) => (b.journey.version > a.journey.version ? b : a));
    if (taker.journey.version !== journey.version)
      warnings.push({
        file,
        reason: `migrate: version ${taker.journey.version} (${taker.file}) also takes the customers of version ${migrate.from}, and the highest version does, so this migrate is not used`,
      });
    if (older === undefined) {
      warnings.push({
        file,
        reason: `migrate: version ${migrate.from} of "${journey.id}" is not loaded, so the stages ${list(named)} cannot be checked against it; its customers in a stage not named stay on version ${migrate.from}, which is not stepped without its file (tactful journeys status lists them)`,
      });
      continue;
    }
    const waiting = waitingStages(older.compiled);
    for (const from of named) {
      if (waiting.includes(from)) continue;
      const why = older.compiled.stages.has(from)
        ? `"${from}" ends version ${migrate.from}, so no customer stays in it`
        : `version ${migrate.from} has no stage "${from}"`;
      problems.push({
        file,
        statePath: from,
        reason: `migrate.states: ${why}; the stages its customers can be in: ${list(waiting)}`,
      });
    }
    const unnamed = waiting.filter((stage) => !named.includes(stage));
    if (unnamed.length > 0)
      warnings.push({
        file,
        reason: `migrate: the stages of version ${migrate.from} with no mapping: ${list(unnamed)}; customers in them stay on version ${migrate.from} (keep ${older.file} loaded while they are there)`,
      });
  }
  return { problems, warnings };
}
