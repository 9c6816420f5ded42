import { CustomerState, summarise, type CustomerSummary } from '@tactful/engine';
import type { AuditRecord } from '@tactful/events';
import type { HaltMark, OutboxCommand, Store, Timer } from '@tactful/store-redis';

/** One customer as people read it: `tactful explain` prints it, the console shows it. */
export interface Explanation {
  customerId: string;
  /** False when the namespace has neither state nor decisions for this id. */
  known: boolean;
  version: number;
  summary: CustomerSummary | null;
  /** The newest decisions, oldest first. */
  timeline: AuditRecord[];
  timers: Timer[];
  /** Halt marks the sentinel wrote that the orchestrator has not applied yet. */
  halts: HaltMark[];
}

export type ExplainStore = Pick<Store<OutboxCommand, AuditRecord>, 'load' | 'audit' | 'timersOf'>;

/**
 * Reads what the store knows of one customer: the state (summarised), the newest `limit` decisions of
 * its audit trail, its pending timers and halt marks. Reads only; the same data for the CLI and the console.
 */
export async function explainCustomer(
  store: ExplainStore,
  customerId: string,
  limit = 200,
): Promise<Explanation> {
  const [loaded, timeline, timers] = await Promise.all([
    store.load(customerId),
    store.audit(customerId, limit),
    store.timersOf(customerId),
  ]);
  const state = loaded.state === null ? null : CustomerState.parse(loaded.state);
  return {
    customerId,
    known: loaded.version > 0 || timeline.length > 0,
    version: loaded.version,
    summary: state ? summarise(state) : null,
    timeline,
    timers,
    halts: loaded.halts,
  };
}
