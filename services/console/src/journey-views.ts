import {
  readTemplateCounts,
  readVersionStages,
  type TemplateCounts,
  type VersionStageCount,
} from '@tactful/engine';
import {
  diagramSourceOf,
  journeyDiagram,
  type DiagramJourney,
  type DiagramState,
  type LoadedJourney,
  type StateConfig,
} from '@tactful/journeys';

// Each journey as its diagram with live numbers (`GET /api/journey-views`): the Mermaid source of
// `journeyDiagram`, with the customers in each stage now and what became of each template it sends
// written under the stage, and the same numbers as data. The counts are the counters the orchestrator
// adds in the same atomic commit as each customer's state: customers per stage of each version, and
// per template the deliveries and the people who opened, clicked, replied.

/** A template a stage sends, with what became of it (every journey and version that sends it). */
export interface TemplateView extends TemplateCounts {
  /** People who opened, clicked, replied, over deliveries; null before the first delivery. */
  readonly openRate: number | null;
  readonly clickRate: number | null;
  readonly replyRate: number | null;
}

export interface StageView {
  /** The state path (`welcome`, `onboarding.tips`). */
  readonly stage: string;
  /** Customers in it now; null for a state with states inside (customers are in its inner ones). */
  readonly customers: number | null;
  readonly final: boolean;
  readonly sends: readonly TemplateView[];
}

export interface JourneyView {
  readonly journey: string;
  readonly version: number;
  readonly name: string | null;
  /** The highest version loaded: the one people enter. */
  readonly latest: boolean;
  /** Null for a version with customers whose file is not loaded (orphaned): no diagram. */
  readonly file: string | null;
  readonly customers: number;
  /** Mermaid `stateDiagram-v2` source with the numbers under each stage; null when orphaned. */
  readonly mermaid: string | null;
  readonly stages: readonly StageView[];
}

const rate = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);
const percent = (value: number | null): string => (value === null ? '–' : `${Math.round(value * 100)}%`);

function templateView(counts: ReadonlyMap<string, TemplateCounts>, template: string): TemplateView {
  const c = counts.get(template) ?? { template, sent: 0, opened: 0, clicked: 0, replied: 0 };
  return {
    ...c,
    openRate: rate(c.opened, c.sent),
    clickRate: rate(c.clicked, c.sent),
    replyRate: rate(c.replied, c.sent),
  };
}

/** Pure. The line a diagram shows under a send: `wp-welcome: 40 sent · 20 opened (50%) · …`. */
export function templateLine(t: TemplateView): string {
  return (
    `${t.template}: ${t.sent} sent · ${t.opened} opened (${percent(t.openRate)}) · ` +
    `${t.clicked} clicked (${percent(t.clickRate)}) · ${t.replied} replied (${percent(t.replyRate)})`
  );
}

/** The stages of a machine, parents before their children, with the templates each one sends. */
function stagesOf(states: Record<string, StateConfig>, parent: readonly string[] = []) {
  return Object.entries(states).flatMap(([name, state]): { path: string; state: StateConfig }[] => [
    { path: [...parent, name].join('.'), state },
    ...(state.states === undefined ? [] : stagesOf(state.states, [...parent, name])),
  ]);
}

/** The diagram's states with each stage's view written under it. */
function annotated(
  states: DiagramJourney['states'],
  byStage: ReadonlyMap<string, StageView>,
  parent: readonly string[] = [],
): DiagramJourney['states'] {
  return states.map(([name, state]): readonly [string, DiagramState] => {
    const path = [...parent, name];
    const view = byStage.get(path.join('.'));
    const notes = [
      ...(view?.customers === null || view?.customers === undefined || view.final
        ? []
        : [`${view.customers} here now`]),
      ...(view?.sends ?? []).map(templateLine),
    ];
    return [name, { ...state, notes, states: annotated(state.states, byStage, path) }];
  });
}

function loadedView(
  loaded: LoadedJourney,
  latest: boolean,
  here: readonly VersionStageCount[],
  counts: ReadonlyMap<string, TemplateCounts>,
): JourneyView {
  const { journey } = loaded;
  const customersIn = new Map(here.map((c) => [c.stage, c.customers]));
  const stages = stagesOf(journey.machine.states).map(({ path, state }): StageView => {
    const templates = [...(state.entry ?? []), ...(state.exit ?? [])].map((a) => a.params.template);
    return {
      stage: path,
      customers: state.states === undefined ? (customersIn.get(path) ?? 0) : null,
      final: state.type === 'final',
      sends: [...new Set(templates)].map((t) => templateView(counts, t)),
    };
  });
  const source = diagramSourceOf(journey);
  const byStage = new Map(stages.map((s) => [s.stage, s]));
  return {
    journey: journey.id,
    version: journey.version,
    name: journey.name,
    latest,
    file: loaded.file,
    customers: here.reduce((sum, c) => sum + c.customers, 0),
    mermaid:
      'error' in source
        ? null
        : journeyDiagram({ ...source.journey, states: annotated(source.journey.states, byStage) }),
    stages,
  };
}

/**
 * Pure. A view of every journey: its highest version, and every other version with customers in it,
 * loaded (with its diagram) or orphaned (its file gone: the counts alone). Sorted by journey, newest
 * version first.
 */
export function journeyViews(
  loaded: readonly LoadedJourney[],
  counters: Readonly<Record<string, number>>,
): JourneyView[] {
  const counts = new Map(readTemplateCounts(counters).map((c) => [c.template, c]));
  const stages = readVersionStages(counters);
  const at = (id: string, version: number) =>
    stages.filter((s) => s.journey === id && s.version === version && s.customers !== 0);
  const highest = new Map<string, number>();
  for (const { journey } of loaded)
    highest.set(journey.id, Math.max(highest.get(journey.id) ?? 0, journey.version));
  const views = loaded
    .filter(
      ({ journey }) =>
        highest.get(journey.id) === journey.version || at(journey.id, journey.version).length > 0,
    )
    .map((j) =>
      loadedView(
        j,
        highest.get(j.journey.id) === j.journey.version,
        at(j.journey.id, j.journey.version),
        counts,
      ),
    );
  const files = new Set(loaded.map(({ journey }) => `${journey.id}@${journey.version}`));
  const orphaned = new Map<string, VersionStageCount[]>();
  for (const s of stages)
    if (s.customers !== 0 && !files.has(`${s.journey}@${s.version}`))
      orphaned.set(`${s.journey}@${s.version}`, [...(orphaned.get(`${s.journey}@${s.version}`) ?? []), s]);
  for (const group of orphaned.values()) {
    const { journey, version } = group[0]!;
    views.push({
      journey,
      version,
      name: null,
      latest: false,
      file: null,
      customers: group.reduce((sum, c) => sum + c.customers, 0),
      mermaid: null,
      stages: group.map((s) => ({ stage: s.stage, customers: s.customers, final: false, sends: [] })),
    });
  }
  return views.sort((a, b) =>
    a.journey < b.journey ? -1 : a.journey > b.journey ? 1 : b.version - a.version,
  );
}
