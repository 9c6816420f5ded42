import { parseDocument } from 'yaml';

// What the diagram reads of a journey file, read leniently: a marketer drafting a journey wants to see
// it before it passes every check, and a file may name a guard or a field (`goal`) that a newer version
// of the loader knows. Shapes that cannot be drawn at all are refused with the reason.

/** A guard as written: its name and parameters, whatever they are. */
export interface DiagramGuard {
  readonly type: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/** One transition as written (`on` or `after` value, one of a list). */
export interface DiagramTransition {
  readonly target: string;
  readonly guard?: DiagramGuard;
}

/** An `entry` or `exit` action as written. */
export interface DiagramAction {
  readonly type: string;
  readonly params: Readonly<Record<string, unknown>>;
}

export interface DiagramState {
  readonly final: boolean;
  readonly description?: string;
  readonly entry: readonly DiagramAction[];
  readonly exit: readonly DiagramAction[];
  /** Event type → transitions, tried in order. */
  readonly on: ReadonlyArray<readonly [string, readonly DiagramTransition[]]>;
  /** `after` key as written → transitions. */
  readonly after: ReadonlyArray<readonly [string, readonly DiagramTransition[]]>;
  readonly initial?: string;
  readonly states: ReadonlyArray<readonly [string, DiagramState]>;
  /** Lines drawn under the stage's sends: what a reader of the file adds (the console, its live counts). */
  readonly notes?: readonly string[];
}

/** The parts of a journey file the diagram shows. */
export interface DiagramJourney {
  readonly id: string;
  readonly version?: number;
  readonly name?: string;
  readonly trigger?: { readonly event: string; readonly where: Readonly<Record<string, unknown>> };
  readonly haltOn: readonly string[];
  readonly products: readonly string[];
  readonly excludesCustomers: boolean;
  /** The percent of entrants held out (tracked, sent nothing). */
  readonly holdout?: number;
  readonly goal?: {
    readonly event: string;
    readonly within?: string;
    readonly where: Readonly<Record<string, unknown>>;
  };
  readonly initial: string;
  readonly states: ReadonlyArray<readonly [string, DiagramState]>;
}

type Obj = Record<string, unknown>;

const isObject = (value: unknown): value is Obj =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const asList = (value: unknown): unknown[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];
const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;

/**
 * Pure. The drawable parts of a journey document (already parsed from YAML or JSON), or why it cannot be
 * drawn: it needs an `id` and a `machine` with `initial` and `states`.
 */
export function diagramSourceOf(document: unknown): { journey: DiagramJourney } | { error: string } {
  if (!isObject(document)) return { error: 'not a journey: the file is not a mapping of fields' };
  const id = text(document.id);
  const machine = document.machine;
  if (id === undefined) return { error: 'not a journey: it has no id' };
  if (!isObject(machine) || !isObject(machine.states) || text(machine.initial) === undefined)
    return { error: 'not a journey: it needs machine.initial and machine.states' };
  const trigger = document.trigger;
  const goal = document.goal;
  const exclude = isObject(document.audience) ? asList(document.audience.exclude) : [];
  return {
    journey: {
      id,
      ...(typeof document.version === 'number' ? { version: document.version } : {}),
      ...(typeof document.name === 'string' ? { name: document.name } : {}),
      ...(isObject(trigger) && text(trigger.event) !== undefined
        ? { trigger: { event: text(trigger.event)!, where: isObject(trigger.where) ? trigger.where : {} } }
        : {}),
      haltOn: asList(document.haltOn).flatMap((e) => text(e) ?? []),
      products: asList(document.products).flatMap((p) => text(p) ?? []),
      excludesCustomers: exclude.includes('customers'),
      ...(typeof document.holdout === 'number' ? { holdout: document.holdout } : {}),
      ...(isObject(goal) && text(goal.event) !== undefined
        ? {
            goal: {
              event: text(goal.event)!,
              ...(text(goal.within) === undefined ? {} : { within: text(goal.within)! }),
              where: isObject(goal.where) ? goal.where : {},
            },
          }
        : {}),
      initial: text(machine.initial)!,
      states: statesOf(machine.states),
    },
  };
}

/** Pure. Reads journey text (`.json` as JSON, anything else as YAML) for the diagram. */
export function readDiagramSource(
  content: string,
  fileName: string,
): { journey: DiagramJourney } | { error: string } {
  if (fileName.endsWith('.json')) {
    try {
      return diagramSourceOf(JSON.parse(content) as unknown);
    } catch (error) {
      return { error: `not valid JSON: ${(error as Error).message}` };
    }
  }
  const document = parseDocument(content);
  if (document.errors.length > 0) return { error: `not valid YAML: ${document.errors[0]!.message}` };
  return diagramSourceOf(document.toJS() as unknown);
}

function statesOf(states: Obj): Array<readonly [string, DiagramState]> {
  return Object.entries(states).map(([name, value]) => [name, stateOf(isObject(value) ? value : {})]);
}

function stateOf(state: Obj): DiagramState {
  return {
    final: state.type === 'final',
    ...(typeof state.description === 'string' ? { description: state.description } : {}),
    entry: actionsOf(state.entry),
    exit: actionsOf(state.exit),
    on: isObject(state.on) ? Object.entries(state.on).map(([k, v]) => [k, transitionsOf(v)] as const) : [],
    after: isObject(state.after)
      ? Object.entries(state.after).map(([k, v]) => [k, transitionsOf(v)] as const)
      : [],
    ...(text(state.initial) === undefined ? {} : { initial: text(state.initial)! }),
    states: isObject(state.states) ? statesOf(state.states) : [],
  };
}

function actionsOf(value: unknown): DiagramAction[] {
  return asList(value).flatMap((action) => {
    if (typeof action === 'string') return [{ type: action, params: {} }];
    if (!isObject(action) || text(action.type) === undefined) return [];
    return [{ type: text(action.type)!, params: isObject(action.params) ? action.params : {} }];
  });
}

function transitionsOf(value: unknown): DiagramTransition[] {
  return asList(value).flatMap((item) => {
    if (typeof item === 'string') return [{ target: item }];
    if (!isObject(item) || text(item.target) === undefined) return [];
    const guard = item.guard;
    const parsed =
      typeof guard === 'string'
        ? { type: guard, params: {} }
        : isObject(guard) && text(guard.type) !== undefined
          ? { type: text(guard.type)!, params: isObject(guard.params) ? guard.params : {} }
          : undefined;
    return [{ target: text(item.target)!, ...(parsed === undefined ? {} : { guard: parsed }) }];
  });
}
