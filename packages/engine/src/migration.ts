import { parseDelayKey } from '@tactful/journeys';
import type { CatalogEntry, JourneyCatalog } from './catalog';
import type { ActiveJourney } from './customer-state';
import { journeyOf } from './draft';
import { applyJourneyActions } from './journey-actions';
import type { StepRun } from './step-run';
import { audit, sortedKeys } from './step-run';

// A journey changed while people are in it: a newer version's `migrate` says where the customers of an
// older version go. The move is lazy and deterministic, like everything the engine does: it happens at
// the customer's next step (any event or timer of theirs) once the newer version is in the catalog,
// before the event is applied, and is audited as `entered` with the code `migrated`.

/** The audit code of a customer moved to a newer version. */
export const MIGRATED = 'migrated';

/** Where a customer of an older version goes: the version that takes them and the stage there. */
export interface MigrationTarget {
  readonly entry: CatalogEntry;
  readonly stage: string;
  /** The stage of the version left last (the key of the taker's `migrate.states`). */
  readonly via: string;
  /** Every version passed through on the way, from the customer's own to the taker's, oldest first. */
  readonly versions: readonly number[];
}

/** Pure. The version that takes the customers of `version` (the highest whose `migrate.from` names it). */
export function takerOf(catalog: JourneyCatalog, id: string, version: number): CatalogEntry | undefined {
  const versions = catalog.byId.get(id);
  // the common case: the customer is on the only version there is
  if (versions === undefined || (versions.size === 1 && versions.has(version))) return undefined;
  let taker: CatalogEntry | undefined;
  for (const entry of versions.values()) {
    const from = entry.migration?.from;
    if (
      from === version &&
      entry.journey.version > version &&
      entry.journey.version > (taker?.journey.version ?? 0)
    )
      taker = entry;
  }
  return taker;
}

/**
 * Pure. Where a customer at `stage` of `version` goes, following every `migrate` in turn (version 1 to 2
 * to 3, when 2 takes 1's and 3 takes 2's), or undefined when no version takes them from where they are:
 * no newer version names theirs, or it does not name their stage (they stay).
 */
export function migrationTarget(
  catalog: JourneyCatalog,
  id: string,
  version: number,
  stage: string,
): MigrationTarget | undefined {
  let found: MigrationTarget | undefined;
  const versions = [version];
  for (let at = { version, stage }; ;) {
    // versions only go up, so this ends
    const taker = takerOf(catalog, id, at.version);
    const states = taker?.journey.migrate?.states;
    if (taker === undefined || states === undefined || !Object.hasOwn(states, at.stage)) return found;
    const to = states[at.stage]!;
    versions.push(taker.journey.version);
    found = { entry: taker, stage: to, via: at.stage, versions: [...versions] };
    at = { version: taker.journey.version, stage: to };
  }
}

/**
 * Step 2 (before the halts): moves every active journey that a newer version takes to that version and
 * stage, with an audit record. Its old waits are cancelled (the one whose `timer.fired` is being applied
 * has already fired); the new stage is entered after the halts (`startMigrated`), so an event that halts
 * the journey on its new version halts it before anything of the new stage is sent.
 */
export function migrateJourneys(run: StepRun): void {
  const { catalog } = run.ctx;
  for (const journeyId of sortedKeys(run.state.active)) {
    const instance = run.state.active[journeyId];
    if (instance === undefined) continue;
    const target = migrationTarget(catalog, journeyId, instance.version, instance.stage);
    const move = target?.entry.migration?.moves.get(target.via);
    if (target === undefined || move === undefined) continue;
    const since = waitingSince(run, instance);
    const own = journeyOf(run, journeyId);
    if (own === undefined) continue;
    const fired = run.event.type === 'timer.fired' ? run.event.data.timerId : undefined;
    for (const delayed of sortedKeys(own.timers)) {
      const timerId = own.timers[delayed];
      if (timerId !== undefined && timerId !== fired)
        run.effects.push({ type: 'cancel', customerId: run.state.customerId, timerId });
    }
    const from = { version: own.version, stage: own.stage };
    own.timers = {};
    own.version = target.entry.journey.version;
    own.stage = move.stage;
    run.migrated.set(journeyId, { entry: target.entry, move, since });
    const by =
      target.versions.length > 2 ? ` by way of version ${target.versions.slice(1, -1).join(', ')}` : '';
    audit(run, 'entered', {
      journey: journeyId,
      journeyVersion: own.version,
      stage: own.stage,
      code: MIGRATED,
      reason:
        `moved from version ${from.version} (stage ${from.stage}) to version ${own.version} (stage ${own.stage})` +
        `${by}, as the migrate of version ${own.version} says; its waits count from ${new Date(since).toISOString()}`,
    });
  }
}

/**
 * Step 3 (after the halts): enters the new stage of every journey moved in this step and not halted
 * since: its entry sends are decided as any send (the ledger suppresses a template the person already
 * had) and its waits start as if the customer had entered it when they began waiting in the stage they
 * left, so no time already waited is lost (a wait already over is due at once).
 */
export function startMigrated(run: StepRun): void {
  for (const [journeyId, { entry, move, since }] of run.migrated) {
    const instance = run.state.active[journeyId];
    if (run.blasted || instance === undefined || instance.version !== entry.journey.version) continue;
    applyJourneyActions(run, instance, entry, move.actions, { ...instance.trigger.data }, since);
  }
}

/**
 * When the customer began waiting in their current stage: the latest start of its pending waits (the
 * innermost state's waits start last, on entering the stage), from each wait's due time and delay; the
 * step's time when none is known (no wait pending, or no timers given in the context).
 */
function waitingSince(run: StepRun, instance: ActiveJourney): number {
  const now = run.now.getTime();
  let since: number | undefined;
  const fired = run.event.type === 'timer.fired' ? run.event.data : undefined;
  for (const timerId of Object.values(instance.timers)) {
    // the timer being fired has left the timer service, but its event says the same
    const stored =
      fired?.timerId === timerId
        ? { dueAt: Date.parse(fired.dueAt), payload: { kind: 'after', delay: fired.delay } }
        : run.ctx.pendingTimer?.(timerId);
    const delay = stored === undefined ? undefined : delayOf(stored.payload);
    if (stored === undefined || delay === undefined) continue;
    const started = stored.dueAt - delay;
    since = since === undefined ? started : Math.max(since, started);
  }
  return Math.min(since ?? now, now);
}

/** The length in ms of the `after` wait a stored timer payload stands for; undefined for anything else. */
function delayOf(payload: unknown): number | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const { kind, delay } = payload as { kind?: unknown; delay?: unknown };
  if (kind !== 'after' || typeof delay !== 'string') return undefined;
  const parsed = parseDelayKey(delay);
  return 'ms' in parsed ? parsed.ms : undefined;
}
