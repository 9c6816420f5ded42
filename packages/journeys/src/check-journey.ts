import { checkReachability } from './check-reachability';
import { checkRepeatSends } from './check-repeat-sends';
import { checkStructure } from './check-structure';
import type { JourneyMachine } from './compile-journey';
import { compileJourney } from './compile-journey';
import type { Journey } from './journey';
import { buildJourneyGraph } from './journey-graph';
import type { Problem } from './problem';

/** A journey that passed the schema, with its machine when every static check passed too. */
export interface CheckedJourney {
  machine?: JourneyMachine;
  problems: Problem[];
}

/**
 * Pure. The static checks of a journey that the schema accepted: structure first (the machine cannot be
 * built without it), then, on the compiled machine, unreachable states, states with no way out and any
 * way one template could reach a person twice. Every problem found is listed.
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
  const graph = buildJourneyGraph(journey, machine);
  const problems = [...checkReachability(file, journey, graph), ...checkRepeatSends(file, graph)];
  return problems.length > 0 ? { problems } : { machine, problems };
}
