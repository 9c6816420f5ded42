import type { DiagramGuard, DiagramJourney, DiagramState, DiagramTransition } from './diagram-source';
import { parseDelayKey } from './delay-key';
import { humanDuration } from './human-duration';

// A journey as a Mermaid `stateDiagram-v2`, for people: the whole machine sits in one box named after the
// journey, so the exits that apply in every stage (haltOn, opt-out, a bought product, the goal) are
// single arrows leaving the box instead of one arrow per stage.

/** Ids of the parts of the drawing that are not states of the machine. */
const OUTER = {
  journey: 'tactful_journey',
  halted: 'tactful_halted',
  bought: 'tactful_bought',
  goal: 'tactful_goal',
};

interface Node {
  readonly path: readonly string[];
  readonly id: string;
  readonly state: DiagramState;
}

/**
 * Pure. The Mermaid `stateDiagram-v2` source of a journey: stages with their sends, transitions with their
 * events, guards and waits in human units, nested states as boxes, final states, and the exits that
 * apply to every stage.
 */
export function journeyDiagram(journey: DiagramJourney): string {
  const nodes = indexStates(journey.states);
  const edges = edgesByLevel(nodes);
  const lines = ['stateDiagram-v2'];
  const title = [journey.id, journey.version === undefined ? '' : `v${journey.version}`]
    .filter(Boolean)
    .join(' ');
  const named = journey.name === undefined ? title : `${title}: ${journey.name}`;
  const heading =
    journey.holdout === undefined ? named : `${named} · holdout ${journey.holdout}%: tracked, sent nothing`;
  lines.push(`  state "${label(heading)}" as ${OUTER.journey} {`);
  lines.push(...block(journey.initial, journey.states, [], { nodes, edges }, '    '));
  lines.push('  }');
  const trigger = journey.trigger;
  lines.push(
    trigger === undefined
      ? `  [*] --> ${OUTER.journey}`
      : `  [*] --> ${OUTER.journey} : ${label(`${trigger.event}${whereText(trigger.where)}`)}`,
  );
  lines.push(...exits(journey));
  return `${lines.join('\n')}\n`;
}

function exits(journey: DiagramJourney): string[] {
  const halts = [...journey.haltOn];
  if (!halts.includes('contact.opted_out')) halts.push('contact.opted_out');
  if (journeySendsEmail(journey.states)) halts.push('email.bounced (hard)');
  if (journey.excludesCustomers) halts.push('customer.status_changed to customer');
  const lines = [
    `  state "halted" as ${OUTER.halted}`,
    `  ${OUTER.journey} --> ${OUTER.halted} : ${label(halts.join(' · '))}`,
  ];
  if (journey.products.length > 0) {
    lines.push(`  state "completed: bought" as ${OUTER.bought}`);
    lines.push(
      `  ${OUTER.journey} --> ${OUTER.bought} : ${label(`purchase.completed of ${journey.products.join(', ')}`)}`,
    );
  }
  const goal = journey.goal;
  if (goal !== undefined) {
    const within = goal.within === undefined ? '' : ` within ${waitText(goal.within)}`;
    // a goal is counted, it ends nothing (the journey goes on unless haltOn lists the event too)
    lines.push(`  state "goal reached: counted, the journey goes on" as ${OUTER.goal}`);
    lines.push(
      `  ${OUTER.journey} --> ${OUTER.goal} : ${label(`goal ${goal.event}${whereText(goal.where)}${within}`)}`,
    );
  }
  return lines;
}

interface Drawing {
  readonly nodes: ReadonlyMap<string, Node>;
  /** Arrows by the parent path of the box they are drawn in. */
  readonly edges: ReadonlyMap<string, readonly string[]>;
}

/** The declarations and transitions of the states under one parent, nested boxes drawn recursively. */
function block(
  initial: string | undefined,
  states: DiagramJourney['states'],
  parent: readonly string[],
  drawing: Drawing,
  indent: string,
): string[] {
  const { nodes } = drawing;
  const lines: string[] = [];
  const first = initial === undefined ? undefined : nodes.get(key([...parent, initial]));
  if (first !== undefined) lines.push(`${indent}[*] --> ${first.id}`);
  for (const [name, state] of states) {
    const node = nodes.get(key([...parent, name]))!;
    if (state.states.length > 0) {
      lines.push(`${indent}state "${label(name)}" as ${node.id} {`);
      lines.push(...block(state.initial, state.states, node.path, drawing, `${indent}  `));
      lines.push(`${indent}}`);
    } else {
      lines.push(`${indent}state "${label(name)}" as ${node.id}`);
    }
    for (const line of stateLines(state)) lines.push(`${indent}${node.id} : ${label(line)}`);
    if (state.final) lines.push(`${indent}${node.id} --> [*]`);
  }
  for (const arrow of drawing.edges.get(key(parent)) ?? []) lines.push(`${indent}${arrow}`);
  return lines;
}

function edgesByLevel(nodes: ReadonlyMap<string, Node>): Map<string, string[]> {
  const edges = new Map<string, string[]>();
  for (const node of nodes.values()) {
    for (const { level, arrow } of transitionLines(node, nodes)) {
      const list = edges.get(key(level));
      if (list === undefined) edges.set(key(level), [arrow]);
      else list.push(arrow);
    }
  }
  return edges;
}

function stateLines(state: DiagramState): string[] {
  const lines: string[] = [];
  if (state.description !== undefined) lines.push(state.description);
  for (const action of state.entry) lines.push(actionText(action));
  for (const action of state.exit) lines.push(`on leaving: ${actionText(action)}`);
  for (const note of state.notes ?? []) lines.push(note);
  return lines;
}

function actionText(action: { type: string; params: Readonly<Record<string, unknown>> }): string {
  const template = typeof action.params.template === 'string' ? action.params.template : undefined;
  const channel = typeof action.params.channel === 'string' ? action.params.channel : 'email';
  if (action.type === 'send')
    return `✉ send ${template ?? '(no template)'}${channel === 'email' ? '' : ` by ${channel}`}`;
  return `${action.type}${template === undefined ? '' : ` ${template}`}`;
}

interface Arrow {
  /** The parent path of the box the arrow is drawn in. */
  readonly level: readonly string[];
  readonly arrow: string;
}

function transitionLines(node: Node, nodes: ReadonlyMap<string, Node>): Arrow[] {
  const lines: Arrow[] = [];
  const add = (what: string, list: readonly DiagramTransition[]) => {
    list.forEach((transition, index) => {
      const otherwise =
        transition.guard === undefined && list.slice(0, index).some((t) => t.guard !== undefined);
      const guard =
        transition.guard === undefined
          ? otherwise
            ? ' (otherwise)'
            : ''
          : ` [${guardText(transition.guard)}]`;
      lines.push(edge(node, transition.target, `${what}${guard}`, nodes));
    });
  };
  for (const [event, list] of node.state.on) add(event, list);
  for (const [delay, list] of node.state.after) add(`after ${waitText(delay)}`, list);
  return lines;
}

/**
 * One arrow. Mermaid cannot draw an arrow between states of different boxes, so both ends are lifted to
 * the nearest box they share, and the label names the inner states the arrow really joins.
 */
function edge(source: Node, target: string, what: string, nodes: ReadonlyMap<string, Node>): Arrow {
  const to = resolve(source.path, target, nodes);
  if (to === undefined)
    return {
      level: source.path.slice(0, -1),
      arrow: `%% ${source.path.join('.')}: ${label(what)} goes to an unknown state ${label(target)}`,
    };
  let common = 0;
  while (
    common < source.path.length - 1 &&
    common < to.path.length - 1 &&
    source.path[common] === to.path[common]
  )
    common += 1;
  const from = nodes.get(key(source.path.slice(0, common + 1)))!;
  const lifted = nodes.get(key(to.path.slice(0, common + 1)))!;
  const prefix = from === source ? '' : `${source.path.slice(common + 1).join('.')}: `;
  const suffix = lifted === to ? '' : ` → ${to.path.slice(common + 1).join('.')}`;
  return {
    level: source.path.slice(0, common),
    arrow: `${from.id} --> ${lifted.id} : ${label(`${prefix}${what}${suffix}`)}`,
  };
}

/** XState's meaning of a target: `name` is a sibling, `.child` is inside, `#a.b` is a path from the top. */
function resolve(
  source: readonly string[],
  target: string,
  nodes: ReadonlyMap<string, Node>,
): Node | undefined {
  const [base, relative] = target.startsWith('#')
    ? [[], target.slice(1)]
    : target.startsWith('.')
      ? [source, target.slice(1)]
      : [source.slice(0, -1), target];
  return nodes.get(key([...base, ...relative.split('.')]));
}

/** Pure. A guard as a marketer reads it. */
export function guardText(guard: DiagramGuard): string {
  const params = guard.params;
  switch (guard.type) {
    case 'dataEquals':
      return `${String(params.path)} = ${valueText(params.value)}`;
    case 'split':
      return `split ${String(params.percent)}%`;
    default:
      return guard.type;
  }
}

/** Pure. An `after` key (`P3D`, `PT30S`, `30000`) in human units ("3 days"), or the key when unknown. */
export function waitText(delay: string): string {
  const parsed = parseDelayKey(delay);
  return 'ms' in parsed ? humanDuration(parsed.ms) : `${delay} (not a duration)`;
}

function whereText(where: Readonly<Record<string, unknown>>): string {
  const pairs = Object.entries(where).map(([path, value]) => `${path} = ${valueText(value)}`);
  return pairs.length === 0 ? '' : ` (${pairs.join(', ')})`;
}

function valueText(value: unknown): string {
  return typeof value === 'string' && /^[\w.@:/+-]+$/.test(value)
    ? value
    : (JSON.stringify(value) ?? 'undefined');
}

function journeySendsEmail(states: DiagramJourney['states']): boolean {
  return states.some(
    ([, state]) =>
      [...state.entry, ...state.exit].some(
        (action) => action.type === 'send' && (action.params.channel ?? 'email') === 'email',
      ) || journeySendsEmail(state.states),
  );
}

function indexStates(states: DiagramJourney['states']): Map<string, Node> {
  const nodes = new Map<string, Node>();
  const used = new Set<string>(Object.values(OUTER));
  const walk = (list: DiagramJourney['states'], parent: readonly string[]) => {
    for (const [name, state] of list) {
      const path = [...parent, name];
      const base = path.join('__').replace(/[^A-Za-z0-9_]/g, '_');
      let id = /^[A-Za-z]/.test(base) ? base : `s_${base}`;
      for (let n = 2; used.has(id); n += 1) id = `${base}_${n}`;
      used.add(id);
      nodes.set(key(path), { path, id, state });
      walk(state.states, path);
    }
  };
  walk(states, []);
  return nodes;
}

const key = (path: readonly string[]): string => JSON.stringify(path);

/**
 * Text inside a Mermaid label or state name. Mermaid reads `;`, `#`, quotes, angle brackets and braces as
 * syntax, so they are written as its entity codes (`#59;`), which it turns back into the characters.
 */
function label(value: string): string {
  const codes: Record<string, string> = {
    '#': '#35;',
    ';': '#59;',
    '"': '#quot;',
    '<': '#lt;',
    '>': '#gt;',
    '{': '#123;',
    '}': '#125;',
    ':': '#58;',
  };
  return value.replace(/\s+/g, ' ').replace(/[#;"<>{}]/g, (c) => codes[c] ?? c);
}
