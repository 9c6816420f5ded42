import { customerView, summarise, type CustomerSummary } from '@tactful/engine';
import type { AuditRecord } from '@tactful/events';
import type { HaltMark, Store, Timer } from '@tactful/store-redis';

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

export type ExplainStore = Pick<Store, 'load'>;

/** The newest `limit` decision records of a customer, oldest first (from `N.audit`: `auditReader`). */
export type AuditReader = (customerId: string, limit: number) => Promise<AuditRecord[]>;

/**
 * Reads what is known of one customer: the state (summarised), its pending timers and halt marks from
 * the store, and the newest `limit` decisions from `N.audit`. Reads only; the same data for the CLI and
 * the console.
 */
export async function explainCustomer(
  store: ExplainStore,
  readAudit: AuditReader,
  customerId: string,
  limit = 200,
): Promise<Explanation> {
  const [loaded, timeline] = await Promise.all([store.load(customerId), readAudit(customerId, limit)]);
  // the live view the dispatcher checks sends on: the ledger merged (the summary lists every template
  // sent, even one the stored state left out) and the same live halt marks
  const view = customerView(loaded);
  return {
    customerId,
    known: loaded.version > 0 || timeline.length > 0,
    version: loaded.version,
    summary: view.known ? summarise(view.state) : null,
    timeline,
    timers: loaded.timers,
    halts: [...view.halts],
  };
}
