import type { GraphEdge, GraphSend, JourneyGraph } from './journey-graph';
import { describeEvent, describeSnapshot } from './journey-graph';
import type { Problem } from './problem';

/** The initial transition, as an edge from nowhere, so that it is treated like every other step. */
const START = '';

/**
 * Pure. Refuses a journey that could send one template twice to the same person (invariant 3): two
 * steps sending the same template such that the second can follow the first, a step that is part of a
 * loop and sends anything, or one step that sends a template twice. Every walk through the graph is
 * covered without listing walks one by one: a template is sent twice on some walk exactly when one
 * sending step can reach another (or itself, which is a loop).
 */
export function checkRepeatSends(file: string, graph: JourneyGraph): Problem[] {
  const edges: GraphEdge[] = [
    { from: START, to: graph.initial, event: { type: 'xstate.init' }, sends: graph.initialSends },
    ...graph.edges,
  ];
  const paths = new ShortestPaths(graph.edges);
  const problems = new Map<string, Problem>();
  const report = (key: string, statePath: string, reason: string): void => {
    if (!problems.has(key)) problems.set(key, { file, statePath, reason });
  };
  // A walk that begins with the initial transition reads from the initial state, not from "start".
  const describeWalk = (walk: readonly GraphEdge[]): string =>
    walk
      .filter((edge) => edge.from !== START)
      .reduce(
        (text, edge) =>
          `${text} --${describeEvent(graph, edge.event)}--> ${describeSnapshot(graph, edge.to)}`,
        describeSnapshot(graph, walk[0]?.from === START ? graph.initial : (walk[0]?.from ?? START)),
      );

  const byTemplate = new Map<string, Array<{ edge: GraphEdge; send: GraphSend }>>();
  for (const edge of edges) {
    for (const send of edge.sends) {
      byTemplate.set(send.template, [...(byTemplate.get(send.template) ?? []), { edge, send }]);
    }
  }
  for (const [template, sends] of byTemplate) {
    // Loops first: a state that repeats its own send is the mistake to name, not each pair it makes.
    const looping = new Set<string>();
    for (const { edge, send } of sends) {
      const back = edge.from === START ? undefined : paths.from(edge.to, edge.from);
      if (back === undefined) continue;
      looping.add(send.stage);
      report(
        `${template}|${send.stage}|loop`,
        send.stage,
        loopReason(template, describeWalk([edge, ...back])),
      );
    }
    for (const first of sends) {
      for (const second of sends) {
        if (first === second || looping.has(first.send.stage) || looping.has(second.send.stage)) continue;
        const stages = `"${first.send.stage}" and ${first.send.stage === second.send.stage ? 'again' : `then "${second.send.stage}"`}`;
        if (first.edge === second.edge) {
          report(
            `${template}|${[first.send.stage, second.send.stage].sort().join('|')}`,
            second.send.stage,
            `template "${template}" is sent twice in one step, by ${stages}: ${describeWalk([first.edge])}`,
          );
          continue;
        }
        const between = paths.from(first.edge.to, second.edge.from);
        if (between === undefined) continue;
        report(
          `${template}|${[first.send.stage, second.send.stage].sort().join('|')}`,
          second.send.stage,
          `template "${template}" could be sent twice to one person, by ${stages}: ${describeWalk([first.edge, ...between, second.edge])}`,
        );
      }
    }
  }
  return [...problems.values()];
}

function loopReason(template: string, walk: string): string {
  return `template "${template}" is sent on a loop, so it could reach one person again and again: ${walk}; a loop may only pass through states that send nothing`;
}

/** Shortest walks between snapshots, by breadth-first search, remembered per starting snapshot. */
class ShortestPaths {
  private readonly outgoing = new Map<string, GraphEdge[]>();
  private readonly parents = new Map<string, Map<string, GraphEdge | null>>();

  constructor(edges: readonly GraphEdge[]) {
    for (const edge of edges) this.outgoing.set(edge.from, [...(this.outgoing.get(edge.from) ?? []), edge]);
  }

  /** The steps from one snapshot to another (none when they are the same), or undefined if unreachable. */
  from(start: string, goal: string): GraphEdge[] | undefined {
    const parents = this.parents.get(start) ?? this.search(start);
    if (!parents.has(goal)) return undefined;
    const walk: GraphEdge[] = [];
    for (let edge = parents.get(goal); edge; edge = parents.get(edge.from)) walk.unshift(edge);
    return walk;
  }

  private search(start: string): Map<string, GraphEdge | null> {
    const parents = new Map<string, GraphEdge | null>([[start, null]]);
    const queue = [start];
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      for (const edge of this.outgoing.get(next) ?? []) {
        if (parents.has(edge.to)) continue;
        parents.set(edge.to, edge);
        queue.push(edge.to);
      }
    }
    this.parents.set(start, parents);
    return parents;
  }
}
