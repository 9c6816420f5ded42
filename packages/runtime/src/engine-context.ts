import fs from 'node:fs/promises';
import { buildCatalog, type JourneyCatalog, type StepContext } from '@tactful/engine';
import { TactfulError } from '@tactful/events';
import { formatProblem, loadJourneys, type LoadedJourney } from '@tactful/journeys';
import { parsePolicy, formatProblem as formatPolicyProblem } from '@tactful/policy';

/**
 * Loads the journeys and the contact policy the engine steps with. Every problem of every file is
 * reported at once, and the service does not start with a journey refused: a refused file could be the
 * one that stops a repeated template.
 */
export async function loadEngineContext(
  journeysDir: string,
  policyFile: string,
): Promise<Omit<StepContext, 'halts'>> {
  const journeys = await readJourneys(journeysDir);
  const problems = [...journeys.problems];
  let policyText: string | undefined;
  try {
    policyText = await fs.readFile(policyFile, 'utf8');
  } catch (err) {
    problems.push(`${policyFile}: cannot read the contact policy (${(err as Error).message})`);
  }
  const policy = policyText === undefined ? undefined : parsePolicy(policyText, policyFile);
  if (policy && !policy.ok) problems.push(...policy.problems.map(formatPolicyProblem));
  if (problems.length > 0 || !policy?.ok) throw refusal(problems);
  return { catalog: buildCatalog(journeys.journeys), policy: policy.policy };
}

/**
 * Loads the journeys alone, for a service that needs to know them but never steps them (the halt
 * sentinel reads their `haltOn` and `products`). Refuses the same files `loadEngineContext` refuses.
 */
export async function loadJourneyCatalog(journeysDir: string): Promise<JourneyCatalog> {
  const { journeys, problems } = await readJourneys(journeysDir);
  if (problems.length > 0) throw refusal(problems);
  return buildCatalog(journeys);
}

async function readJourneys(dir: string): Promise<{ journeys: LoadedJourney[]; problems: string[] }> {
  const loaded = await loadJourneys(dir);
  const problems = loaded.problems.map(formatProblem);
  if (loaded.files.length === 0) problems.push(`${dir}: no journey files (*.yaml, *.yml, *.json)`);
  return { journeys: loaded.journeys, problems };
}

function refusal(problems: readonly string[]): TactfulError {
  return new TactfulError(
    'journey.invalid',
    `refusing to start (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
      problems.map((p) => `  - ${p}`).join('\n'),
  );
}
