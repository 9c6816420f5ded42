import fs from 'node:fs/promises';
import path from 'node:path';
import { buildCatalog, type StepContext } from '@tactful/engine';
import { TactfulError } from '@tactful/events';
import { formatProblem, loadJourneyFile, loadJourneys, type LoadedJourney } from '@tactful/journeys';
import { formatProblem as formatPolicyProblem, parsePolicy } from '@tactful/policy';

/** The engine's configuration for trying a journey file before it is deployed. */
export interface AuthoringContext {
  readonly ctx: Omit<StepContext, 'halts'>;
  /** The journey of the file being tried. */
  readonly candidate: LoadedJourney;
  /** The other journeys in the catalog, as `id vN`. */
  readonly others: readonly string[];
}

export interface AuthoringContextOptions {
  /** The journey file being tried. */
  readonly file: string;
  readonly policyFile: string;
  /**
   * A folder of journeys that run beside it (TACTFUL_JOURNEYS): every version of the candidate's id is
   * left out, so the candidate is the one people enter; the rest share the contact budget and the ledger.
   */
  readonly journeysDir?: string;
}

/**
 * Loads a journey file with the same checks as the services, the contact policy, and optionally the
 * journeys that run beside it. Every problem of every file is reported at once (`journey.invalid`).
 */
export async function loadAuthoringContext(options: AuthoringContextOptions): Promise<AuthoringContext> {
  const parsed = await loadJourneyFile(options.file);
  const problems = parsed.problems.map(formatProblem);
  const besides = options.journeysDir === undefined ? undefined : await loadJourneys(options.journeysDir);
  const self = path.resolve(options.file);
  for (const problem of besides?.problems ?? [])
    if (path.resolve(problem.file) !== self) problems.push(formatProblem(problem));
  let policyText: string | undefined;
  try {
    policyText = await fs.readFile(options.policyFile, 'utf8');
  } catch (err) {
    problems.push(`${options.policyFile}: cannot read the contact policy (${(err as Error).message})`);
  }
  const policy = policyText === undefined ? undefined : parsePolicy(policyText, options.policyFile);
  if (policy !== undefined && !policy.ok) problems.push(...policy.problems.map(formatPolicyProblem));
  const { journey, machine, compiled } = parsed;
  if (
    problems.length > 0 ||
    journey === undefined ||
    machine === undefined ||
    compiled === undefined ||
    !policy?.ok
  )
    throw new TactfulError(
      'journey.invalid',
      `cannot try ${options.file} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
  const candidate: LoadedJourney = { file: options.file, journey, machine, compiled };
  const others = (besides?.journeys ?? []).filter(
    (other) => other.journey.id !== journey.id && path.resolve(other.file) !== self,
  );
  return {
    ctx: { catalog: buildCatalog([candidate, ...others]), policy: policy.policy },
    candidate,
    others: others.map((o) => `${o.journey.id} v${o.journey.version}`).sort(),
  };
}
