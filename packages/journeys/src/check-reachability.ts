import type { Journey } from './journey';
import type { JourneyGraph } from './journey-graph';
import { activeStatePaths } from './journey-graph';
import type { Problem } from './problem';
import { statesOf } from './state-tree';

/**
 * Pure. States that no sequence of events and waits reaches from the start (only the outermost is
 * reported), and snapshots that are not final yet have no event or wait leading anywhere else.
 */
export function checkReachability(file: string, journey: Journey, graph: JourneyGraph): Problem[] {
  const problems: Problem[] = [];
  const reached = new Set(
    [...graph.snapshots.values()].flatMap((snapshot) => activeStatePaths(snapshot.value)),
  );
  const reported: string[] = [];
  for (const { path } of statesOf(journey.machine)) {
    const statePath = path.join('.');
    if (reached.has(statePath) || reported.some((outer) => statePath.startsWith(`${outer}.`))) continue;
    reported.push(statePath);
    problems.push({
      file,
      statePath,
      reason: `unreachable: no event or wait leads here from "${journey.machine.initial}"`,
    });
  }
  const leaving = new Set(graph.edges.filter((edge) => edge.to !== edge.from).map((edge) => edge.from));
  const stuck = new Set<string>();
  for (const [key, snapshot] of graph.snapshots) {
    if (snapshot.status !== 'active' || leaving.has(key)) continue;
    const leaf = activeStatePaths(snapshot.value).at(-1);
    if (leaf === undefined || stuck.has(leaf)) continue;
    stuck.add(leaf);
    problems.push({
      file,
      statePath: leaf,
      reason:
        'no way out: this state is not final and no event or wait leads anywhere else; add "on" or "after", or make it type: final',
    });
  }
  return problems;
}
