import type { EmailSendCommand, HaltMark } from '@tactful/events';
import type { ContactView, Policy, SendRecord } from '@tactful/policy';
import type { CustomerState } from './customer-state';
import { lastMileCheck, type Suppression } from './last-mile';
import { stateOfStored, type StoredCustomer } from './stored-state';

// One customer as the services and the tools see them live: the state the orchestrator committed, the
// ledger, and the sentinel's marks it has not applied yet. Every reader builds it here, so the
// orchestrator, the dispatcher, `tactful explain` and the console read one customer the same way.

/** What a store holds of one customer: the stored state, the ledger and the live halt marks. */
export interface StoredCustomerView extends StoredCustomer {
  /**
   * The halt marks whose events the stored state has not applied yet, oldest first: the store split off
   * the stale ones by its one rule (`splitHalts` of `@tactful/store-redis`, which `load` applies).
   */
  readonly halts: readonly HaltMark[];
}

/** What a send's last-mile check needs beyond the customer: the command's side and the dispatcher's. */
export interface DeliveryContext {
  readonly policy: Policy;
  /** The journey is meant for people who are not customers yet (`audience.exclude: [customers]`). */
  readonly prospecting: boolean;
  /** Emails the dispatcher delivered to this person in the last rolling hour. */
  readonly deliveredLastHour: number;
  readonly now: Date;
}

/** The marks of a view that a later read of the store still finds live, and whether any was applied since. */
export interface HaltsStillLive {
  readonly halts: readonly HaltMark[];
  /** A mark of the view is no longer live: its event was applied after the view was read. */
  readonly appliedSince: boolean;
}

/** One customer's live view: read-only, built by `customerView`. */
export interface CustomerView {
  readonly customerId: string;
  /** The store holds a state; false for someone never seen (`state` is then the empty one). */
  readonly known: boolean;
  /** `stateOfStored`: the stored state, every default put back, the ledger merged into `templatesSent`. */
  readonly state: CustomerState;
  /** Every template ever sent to the person, as the store keeps it (invariant 3). */
  readonly ledger: readonly string[];
  /** The live halt marks, oldest first. */
  readonly halts: readonly HaltMark[];
  /** What the contact policy knows of the person: status, opt-outs, bounce, preferences, recent sends. */
  readonly contact: ContactView;
  /** The contact history: the recent sends the caps count, oldest first. */
  readonly sends: readonly SendRecord[];
  /** What may be sent now: the last-mile check of `command` (`lastMileCheck`); null when it may go. */
  mayDeliver(command: EmailSendCommand, context: DeliveryContext): Suppression | null;
  /**
   * The marks of this view still among `liveNow` (a later read of the store's live marks, oldest first):
   * one missing there was applied since, so its halt is in a newer state than this view's.
   */
  haltsStillLive(liveNow: readonly HaltMark[]): HaltsStillLive;
}

/**
 * Pure. The live view of one customer from what the store holds of them. Parses the state at once
 * (`stateOfStored`), so a stored state the schema refuses throws here, with the schema's error.
 */
export function customerView(stored: StoredCustomerView): CustomerView {
  const state = stateOfStored(stored);
  const known = stored.state !== null;
  const halts = stored.halts;
  return Object.freeze({
    customerId: stored.customerId,
    known,
    state,
    ledger: stored.ledger,
    halts,
    contact: state.contact,
    sends: state.contact.sends,
    mayDeliver: (command: EmailSendCommand, context: DeliveryContext) =>
      // a customer never stored is checked as having no state (the rules that read one are skipped)
      lastMileCheck({ command, state: known ? state : null, halts, ...context }),
    haltsStillLive: (liveNow: readonly HaltMark[]) => {
      const live = new Set(liveNow.map((mark) => mark.eventId));
      const still = halts.filter((mark) => live.has(mark.eventId));
      return { halts: still, appliedSince: still.length < halts.length };
    },
  });
}
