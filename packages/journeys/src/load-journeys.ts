import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { TactfulError } from '@tactful/events';
import { checkMigrations } from './check-migrate';
import type { JourneyMachine } from './compile-journey';
import type { CompiledJourney } from './compile-steps';
import type { Journey } from './journey';
import type { ParsedJourney } from './parse-journey';
import { parseJourney } from './parse-journey';
import type { Problem } from './problem';
import { formatProblem } from './problem';

// The only module of this package that does I/O: it reads files and hands their text to parseJourney.

export const JOURNEY_FILE_EXTENSIONS = ['.yaml', '.yml', '.json'] as const;

/** A journey that passed every check, ready for the engine: its XState machine and its step tables. */
export interface LoadedJourney {
  file: string;
  journey: Journey;
  machine: JourneyMachine;
  compiled: CompiledJourney;
}

/**
 * A folder of journeys: the files read, the journeys that passed, every problem of the others, and the
 * warnings about journeys that were loaded (a `migrate` that leaves stages of the older version behind, or
 * whose older version is not there to check it against).
 */
export interface LoadedJourneys {
  files: string[];
  journeys: LoadedJourney[];
  problems: Problem[];
  warnings: Problem[];
}

/** What `tactful journeys validate` reports: the files read, every problem found, and the warnings. */
export interface ValidationResult {
  ok: boolean;
  files: string[];
  problems: Problem[];
  warnings: Problem[];
}

/** Reads and checks one journey file. */
export async function loadJourneyFile(file: string): Promise<ParsedJourney> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { file, problems: [{ file, reason: `cannot read the file: ${(error as Error).message}` }] };
  }
  return parseJourney(text, file);
}

/**
 * Reads every `*.yaml`, `*.yml` and `*.json` file directly in `dir` (not in sub-folders). Several
 * versions of one id may coexist, since people in flight stay on the version they entered; the same id
 * and version in two files is a problem of both, and neither is loaded.
 */
export async function loadJourneys(dir: string): Promise<LoadedJourneys> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    const reason = `cannot read the journeys folder: ${(error as Error).message}`;
    return { files: [], journeys: [], problems: [{ file: dir, reason }], warnings: [] };
  }
  const files = names
    .filter((name) => (JOURNEY_FILE_EXTENSIONS as readonly string[]).includes(extname(name).toLowerCase()))
    .sort()
    .map((name) => join(dir, name));
  const parsed = await Promise.all(files.map(loadJourneyFile));
  const problems = parsed.flatMap((result) => result.problems);
  const loaded = parsed.flatMap(({ file, journey, machine, compiled }) =>
    journey !== undefined && machine !== undefined && compiled !== undefined
      ? [{ file, journey, machine, compiled }]
      : [],
  );
  const byKey = new Map<string, LoadedJourney[]>();
  for (const item of loaded) {
    const key = `${item.journey.id}@${item.journey.version}`;
    byKey.set(key, [...(byKey.get(key) ?? []), item]);
  }
  const journeys: LoadedJourney[] = [];
  for (const group of byKey.values()) {
    if (group.length === 1) {
      journeys.push(...group);
      continue;
    }
    for (const { file, journey } of group) {
      const others = group.filter((other) => other.file !== file).map((other) => basename(other.file));
      problems.push({
        file,
        reason: `journey "${journey.id}" version ${journey.version} is also defined in ${others.join(', ')}; an id and version must be unique (raise the version for a change)`,
      });
    }
  }
  // the checks between versions: a file refused here is not loaded, like any other refused file
  const migrations = checkMigrations(journeys);
  problems.push(...migrations.problems);
  const refused = new Set(migrations.problems.map((problem) => problem.file));
  return {
    files,
    journeys: journeys.filter((item) => !refused.has(item.file)),
    problems,
    warnings: migrations.warnings,
  };
}

/** Checks one file as the services would load it. */
export async function validateJourneyFile(file: string): Promise<ValidationResult> {
  const { problems } = await loadJourneyFile(file);
  return { ok: problems.length === 0, files: [file], problems, warnings: [] };
}

/** Checks a folder as the services would load it, listing every problem of every file. */
export async function validateJourneys(dir: string): Promise<ValidationResult> {
  const { files, problems, warnings } = await loadJourneys(dir);
  return { ok: problems.length === 0, files, problems, warnings };
}

/** Pure. The journeys of a load, or a `journey.invalid` error listing every problem (for service start). */
export function requireJourneys(result: LoadedJourneys): LoadedJourney[] {
  if (result.problems.length === 0) return result.journeys;
  const lines = result.problems.map(formatProblem);
  throw new TactfulError('journey.invalid', `journey files refused:\n${lines.join('\n')}`);
}
