import fs from 'node:fs/promises';
import { buildCatalog, type StepContext } from '@tactful/engine';
import { TactfulError } from '@tactful/events';
import { formatProblem, loadJourneys } from '@tactful/journeys';
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
  const problems: string[] = [];
  const journeys = await loadJourneys(journeysDir);
  problems.push(...journeys.problems.map(formatProblem));
  if (journeys.files.length === 0) problems.push(`${journeysDir}: no journey files (*.yaml, *.yml, *.json)`);
  let policyText: string | undefined;
  try {
    policyText = await fs.readFile(policyFile, 'utf8');
  } catch (err) {
    problems.push(`${policyFile}: cannot read the contact policy (${(err as Error).message})`);
  }
  const policy = policyText === undefined ? undefined : parsePolicy(policyText, policyFile);
  if (policy && !policy.ok) problems.push(...policy.problems.map(formatPolicyProblem));
  if (problems.length > 0 || !policy?.ok) {
    throw new TactfulError(
      'journey.invalid',
      `refusing to start (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
  }
  return { catalog: buildCatalog(journeys.journeys), policy: policy.policy };
}
