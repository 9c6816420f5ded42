import { withApplied, type EventPosition } from './applied-log';
import { STORE_DEFAULTS } from './store-options';
import type { CustomerCommit, LoadedCustomer, OutboxMessage, Timer } from './types';

/** Changes to a loaded customer, for `commitFrom`: whatever is left out stays as loaded. */
export interface CommitChanges {
  /** The event applied: recorded in the applied log (with its position, when given). */
  eventId?: string;
  position?: EventPosition;
  state?: unknown;
  ledgerAdd?: string[];
  timersAdd?: Timer[];
  timersCancel?: string[];
  outbox?: OutboxMessage[];
  clearHalts?: string[];
  counters?: Record<string, number>;
  /** Recent event ids kept (the store's `recentEventIds`). Default `STORE_DEFAULTS.recentEventIds`. */
  recentEventIds?: number;
}

/**
 * Pure. A commit of `loaded` with `changes`: timers cancelled then added (so cancelling and adding one id
 * reschedules it), the event recorded as applied. For tools, seeds and tests; the orchestrator builds its
 * commits itself from a whole sub-batch.
 */
export function commitFrom(loaded: LoadedCustomer, changes: CommitChanges = {}): CustomerCommit {
  const timers = new Map(loaded.timers.map((t) => [t.id, t]));
  for (const id of changes.timersCancel ?? []) timers.delete(id);
  for (const t of changes.timersAdd ?? []) timers.set(t.id, t);
  const window = changes.recentEventIds ?? STORE_DEFAULTS.recentEventIds;
  return {
    loaded,
    state: 'state' in changes ? changes.state : (loaded.state ?? {}),
    ledgerAdd: changes.ledgerAdd ?? [],
    timers: [...timers.values()],
    applied:
      changes.eventId === undefined
        ? loaded.applied
        : withApplied(loaded.applied, changes.eventId, changes.position, window),
    clearHalts: changes.clearHalts ?? [],
    outbox: changes.outbox ?? [],
    ...(changes.counters === undefined ? {} : { counters: changes.counters }),
  };
}
