import { entryMove } from '@tactful/journeys';
import { TactfulError } from '@tactful/events';
import type {
  CompiledJourney,
  Journey,
  JourneyMachine,
  JourneyMove,
  JourneyStepper,
  StateConfig,
} from '@tactful/journeys';
import { compileSteps, splitDecides, xstateStepper } from '@tactful/journeys';

/** How the customers of an older version move to a version (its `migrate`). */
export interface Migration {
  readonly from: number;
  /** By stage of version `from`: the move into the stage of the new version. */
  readonly moves: ReadonlyMap<string, JourneyMove>;
}

/** What a timer's XState event stands for: the `after` key as written, and the state that waits. */
export interface WaitInfo {
  readonly delay: string;
  readonly stage: string;
}

/** One version of one journey, with what the engine reads of it over and over. */
export interface CatalogEntry {
  readonly journey: Journey;
  /**
   * The journey's `migrate`, ready to use: the older version whose customers it takes, and for each stage
   * of that version it names, the move into the stage of this version it names (`entryMove`).
   */
  readonly migration?: Migration;
  readonly machine: JourneyMachine;
  /** How a customer moves through it: its step tables, compiled at load (see @tactful/journeys). */
  readonly steps: JourneyStepper;
  /** `audience.exclude: [customers]`: a journey for people who are not customers yet. */
  readonly prospecting: boolean;
  /** The channels its sends use (a hard bounce halts the journeys that use email). */
  readonly channels: readonly string[];
  /** Every wait, by its XState event type (`xstate.after.P3D.<journey>.<state path>`). */
  readonly waits: ReadonlyMap<string, WaitInfo>;
  /**
   * Whether a `split` guard takes part in what an event of `type` does at `stage`: a move made there is
   * a branch of the journey's experiment. Read from the compiled tables, whichever way the journey is
   * stepped, so both ways record the same branches.
   */
  splitAt(stage: string, type: string): boolean;
}

/**
 * Every version of every journey. New customers enter the highest version of a journey; customers in
 * flight keep stepping on the version they entered, so old versions stay here as long as anyone is on
 * them.
 */
export interface JourneyCatalog {
  /** The highest version of each journey, sorted by journey id (the order journeys are entered in). */
  readonly latest: readonly CatalogEntry[];
  /** Every version, by `<id>@<version>`. */
  readonly versions: ReadonlyMap<string, CatalogEntry>;
  /** Every version, by id and then version: what `journeyVersion` looks up, with no key to build. */
  readonly byId: ReadonlyMap<string, ReadonlyMap<number, CatalogEntry>>;
}

/**
 * The part of a loaded journey the catalog needs (`LoadedJourney` of @tactful/journeys has it). Its step
 * tables are compiled here when the loader did not already.
 */
export interface CatalogInput {
  readonly journey: Journey;
  readonly machine: JourneyMachine;
  readonly compiled?: CompiledJourney;
}

export interface CatalogOptions {
  /**
   * `compiled` (the default): step with the tables compiled at load. `xstate`: call XState's
   * `transition()` for every event instead, the reference the tables are checked against; for
   * comparisons in tests and benchmarks, with the same results at many times the cost.
   */
  readonly stepWith?: 'compiled' | 'xstate';
}

const key = (id: string, version: number): string => `${id}@${version}`;

/**
 * Pure. The catalog of `loadJourneys(...).journeys` (or `requireJourneys`): every version of every
 * journey. Throws `journey.invalid` when one id and version is given twice, which the loader already
 * refuses.
 */
export function buildCatalog(loaded: readonly CatalogInput[], options: CatalogOptions = {}): JourneyCatalog {
  const versions = new Map<string, CatalogEntry>();
  const latest = new Map<string, CatalogEntry>();
  for (const input of loaded) {
    const { journey } = input;
    const id = key(journey.id, journey.version);
    if (versions.has(id)) {
      throw new TactfulError(
        'journey.invalid',
        `journey "${journey.id}" version ${journey.version} is given twice`,
      );
    }
    const entry = catalogEntryOf(input, options);
    versions.set(id, entry);
    const previous = latest.get(journey.id);
    if (previous === undefined || previous.journey.version < journey.version) latest.set(journey.id, entry);
  }
  const sorted = [...latest.values()].sort((a, b) => compare(a.journey.id, b.journey.id));
  return { latest: sorted, versions, byId: byIdOf(versions.values()) };
}

/** Pure. The index of `JourneyCatalog.byId` over some entries. */
export function byIdOf(entries: Iterable<CatalogEntry>): Map<string, Map<number, CatalogEntry>> {
  const byId = new Map<string, Map<number, CatalogEntry>>();
  for (const entry of entries) {
    const { id, version } = entry.journey;
    let versions = byId.get(id);
    if (versions === undefined) {
      versions = new Map();
      byId.set(id, versions);
    }
    versions.set(version, entry);
  }
  return byId;
}

/** Pure. One version of a journey, or undefined when the catalog no longer has it. */
export function journeyVersion(
  catalog: JourneyCatalog,
  id: string,
  version: number,
): CatalogEntry | undefined {
  return catalog.byId.get(id)?.get(version);
}

function catalogEntryOf(
  { journey, machine, compiled }: CatalogInput,
  { stepWith = 'compiled' }: CatalogOptions,
): CatalogEntry {
  const channels = new Set<string>();
  const waits = new Map<string, WaitInfo>();
  walk(journey.machine.states, [], (path, state) => {
    for (const action of [...(state.entry ?? []), ...(state.exit ?? [])]) channels.add(action.params.channel);
    const stage = path.join('.');
    // XState names a wait after the delay and the id of the state node: `<machine id>.<state path>`.
    for (const delay of Object.keys(state.after ?? {})) {
      waits.set(`xstate.after.${delay}.${journey.id}.${stage}`, { delay, stage });
    }
  });
  const tables = compiled ?? compileSteps(journey);
  return {
    ...migrationOf(journey),
    journey,
    machine,
    steps: stepWith === 'xstate' ? xstateStepper(machine) : tables,
    prospecting: journey.audience?.exclude?.includes('customers') ?? false,
    channels: [...channels].sort(compare),
    waits,
    splitAt: (stage, type) => splitDecides(tables, stage, type),
  };
}

/** The moves of a journey's `migrate`, each target stage's computed once. */
function migrationOf(journey: Journey): { migration?: Migration } {
  if (journey.migrate === undefined) return {};
  const into = new Map<string, JourneyMove>();
  const moves = new Map<string, JourneyMove>();
  for (const [from, to] of Object.entries(journey.migrate.states)) {
    let move = into.get(to);
    if (move === undefined) {
      move = entryMove(journey, to);
      into.set(to, move);
    }
    moves.set(from, move);
  }
  return { migration: { from: journey.migrate.from, moves } };
}

function walk(
  states: Record<string, StateConfig>,
  parent: readonly string[],
  visit: (path: readonly string[], state: StateConfig) => void,
): void {
  for (const [name, state] of Object.entries(states)) {
    const path = [...parent, name];
    visit(path, state);
    if (state.states !== undefined) walk(state.states, path, visit);
  }
}

/** Pure. Code-unit order: the same on every machine, unlike `localeCompare`. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
