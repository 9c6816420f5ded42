import type { AuditRecord } from '@tactful/events';
import { compare } from './catalog';
import type { CustomerState } from './customer-state';
import { MIGRATED } from './migration';
import { versionStageField } from './version-tally';

// Journey counts kept as counters beside the customers' states: how many customers are in each stage of
// each journey now, and how many entered, completed and were halted so far. The orchestrator adds the
// counts of every step to its atomic commit (the store's `counters`), so they move exactly when the
// states do and cost one hash field per stage, whatever the number of customers; the console reads them.

/**
 * What one counter counts. `active` and `stage` are "now"; `entered`, `completed`, `halted` are totals;
 * `heldOut` counts the entries into a journey's holdout and `converted` its goals reached (a goal is a
 * `completed` record with the code `goal_reached`, which ends nothing, so it is not a completion).
 */
export type TallyKind = 'active' | 'stage' | 'entered' | 'completed' | 'halted' | 'heldOut' | 'converted';

const KINDS: readonly TallyKind[] = [
  'active',
  'stage',
  'entered',
  'completed',
  'halted',
  'heldOut',
  'converted',
];

/** Pure. The counter name of a count: a JSON array, so no journey id or stage name can collide with another. */
export function tallyField(kind: TallyKind, journey: string, stage?: string): string {
  return JSON.stringify(stage === undefined ? [kind, journey] : [kind, journey, stage]);
}

function add(deltas: Map<string, number>, field: string, by: number): void {
  deltas.set(field, (deltas.get(field) ?? 0) + by);
}

function countActive(deltas: Map<string, number>, state: CustomerState, sign: 1 | -1): void {
  for (const [journey, instance] of Object.entries(state.active)) {
    add(deltas, tallyField('active', journey), sign);
    add(deltas, tallyField('stage', journey, instance.stage), sign);
    add(deltas, versionStageField(journey, instance.version, instance.stage), sign);
  }
}

/**
 * Pure. The counter deltas of one step, from the state before and after it and the step's audit
 * records: the customer leaves the stage it was in and joins the one it is in now, and each `entered`,
 * `completed` and `halted` record counts once (a goal reached as `converted`, an entry into the holdout
 * as `heldOut` too).
 * Unchanged counts are left out.
 */
export function tallyStep(
  before: CustomerState,
  after: CustomerState,
  audit: readonly AuditRecord[],
): Record<string, number> {
  const deltas = new Map<string, number>();
  countActive(deltas, before, -1);
  countActive(deltas, after, 1);
  // a customer moved to a newer version entered the journey once, when they first entered it
  for (const record of audit.filter((r) => r.code !== MIGRATED)) {
    if (record.journey === undefined) continue;
    if (record.decision === 'completed' && record.code === 'goal_reached')
      add(deltas, tallyField('converted', record.journey), 1);
    else if (record.decision === 'entered' || record.decision === 'completed' || record.decision === 'halted')
      add(deltas, tallyField(record.decision, record.journey), 1);
    if (record.decision === 'entered' && record.holdout === true)
      add(deltas, tallyField('heldOut', record.journey), 1);
  }
  return Object.fromEntries([...deltas].filter(([, delta]) => delta !== 0));
}

/** One journey's counts, as the console shows them. */
export interface JourneyCounts {
  journey: string;
  /** Customers in the journey now. */
  active: number;
  /** Customers in each stage now, by stage name (sorted). */
  stages: { stage: string; customers: number }[];
  entered: number;
  completed: number;
  halted: number;
  /** Entries into the journey's holdout (among `entered`). */
  heldOut: number;
  /** Goals reached (conversions), whether or not the person was still in the journey. */
  converted: number;
}

function parseField(field: string): [TallyKind, string, string | undefined] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(field);
  } catch (err) {
    // a counter someone else named: not ours to read
    if (err instanceof SyntaxError) return undefined;
    throw err;
  }
  if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === 'string')) return undefined;
  const [kind, journey, stage] = parsed as string[];
  if (kind === undefined || journey === undefined || !(KINDS as readonly string[]).includes(kind))
    return undefined;
  if ((kind === 'stage') !== (stage !== undefined) || parsed.length > 3) return undefined;
  return [kind as TallyKind, journey, stage];
}

/** Pure. The journey counts in a set of counters (`store.counters()`), by journey id; others are ignored. */
export function readTally(counters: Readonly<Record<string, number>>): JourneyCounts[] {
  const journeys = new Map<string, JourneyCounts>();
  for (const [field, value] of Object.entries(counters)) {
    const parsed = parseField(field);
    if (parsed === undefined) continue;
    const [kind, journey, stage] = parsed;
    let counts = journeys.get(journey);
    if (counts === undefined) {
      counts = {
        journey,
        active: 0,
        stages: [],
        entered: 0,
        completed: 0,
        halted: 0,
        heldOut: 0,
        converted: 0,
      };
      journeys.set(journey, counts);
    }
    if (kind === 'stage') counts.stages.push({ stage: stage ?? '', customers: value });
    else counts[kind] = value;
  }
  return [...journeys.values()]
    .map((j) => ({ ...j, stages: j.stages.sort((a, b) => compare(a.stage, b.stage)) }))
    .sort((a, b) => compare(a.journey, b.journey));
}
