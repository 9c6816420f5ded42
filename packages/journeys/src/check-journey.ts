import { checkReachability } from './check-reachability';
import { checkRepeatSends } from './check-repeat-sends';
import { checkStructure } from './check-structure';
import type { JourneyMachine } from './compile-journey';
import { compileJourney } from './compile-journey';
import type { CompiledJourney } from './compile-steps';
import { compileSteps } from './compile-steps';
import type { Journey } from './journey';
import { buildJourneyGraph } from './journey-graph';
import type { Problem } from './problem';

/** A journey that passed the schema, with its machine and step tables when every static check passed too. */
export interface CheckedJourney {
  machine?: JourneyMachine;
  compiled?: CompiledJourney;
  problems: Problem[];
}

/**
 * Pure. The static checks of a journey that the schema accepted: structure first (the machine cannot be
 * built without it), then, on the compiled machine, unreachable states, states with no way out and any
 * way one template could reach a person twice. Every problem found is listed. A journey that passes is
 * also compiled to the step tables the engine uses (`compileSteps`).
 */
export function checkJourney(file: string, journey: Journey): CheckedJourney {
  const structural = checkStructure(file, journey);
  if (structural.length > 0) return { problems: structural };
  let machine: JourneyMachine;
  try {
    machine = compileJourney(journey);
  } catch (error) {
    // The checks above mirror XState's rules; this keeps any rule they miss from escaping as a crash.
    return { problems: [{ file, reason: `XState refused the machine: ${(error as Error).message}` }] };
  }
  const graph = buildJourneyGraph(journey);
  const problems = [...checkReachability(file, journey, graph), ...checkRepeatSends(file, graph)];
  if (problems.length > 0) return { problems };
  try {
    return { machine, compiled: compileSteps(journey), problems };
  } catch (error) {
    // XState built and explored the same machine above; a failure here is a bug, reported like a refusal.
    return { problems: [{ file, reason: `cannot compile the steps: ${(error as Error).message}` }] };
  }
}
