import { err, ok, type Result } from '@tactful/events';
import { parseDocument } from 'yaml';
import { checkJourney } from './check-journey';
import { checkMigrateTargets } from './check-migrate';
import type { JourneyMachine } from './compile-journey';
import type { CompiledJourney } from './compile-steps';
import { Journey } from './journey';
import type { Problem } from './problem';
import { problemsFromIssues } from './problem';

/**
 * One journey file read: the journey, its machine and its step tables when it passed every check, else
 * the problems.
 */
export interface ParsedJourney {
  file: string;
  journey?: Journey;
  machine?: JourneyMachine;
  compiled?: CompiledJourney;
  problems: Problem[];
}

/**
 * Pure. Parses and checks the text of one journey file; `fileName` names it in problems and chooses the
 * syntax (`.json` is JSON, anything else YAML).
 */
export function parseJourney(text: string, fileName: string): ParsedJourney {
  const file = fileName;
  const data = readData(text, file);
  if (!data.ok) return { file, problems: data.error };
  const parsed = Journey.safeParse(data.value, {
    error: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'required' : undefined),
  });
  if (!parsed.success) return { file, problems: problemsFromIssues(file, parsed.error.issues) };
  const checked = checkJourney(file, parsed.data);
  const { machine, compiled } = checked;
  const problems =
    compiled === undefined ? checked.problems : checkMigrateTargets(file, parsed.data, compiled);
  return machine === undefined || compiled === undefined || problems.length > 0
    ? { file, journey: parsed.data, problems }
    : { file, journey: parsed.data, machine, compiled, problems };
}

function readData(text: string, file: string): Result<unknown, Problem[]> {
  if (file.endsWith('.json')) {
    try {
      return ok(JSON.parse(text) as unknown);
    } catch (error) {
      return err([{ file, reason: `not valid JSON: ${(error as Error).message}` }]);
    }
  }
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    return err(document.errors.map((error) => ({ file, reason: `not valid YAML: ${error.message}` })));
  }
  return ok(document.toJS() as unknown);
}
