import {
  deliveryStep,
  type DeliveryAction,
  type DeliveryRecord,
  type DeliveryStepResult,
  type OutcomeOf,
} from '@tactful/engine';
import { TactfulError } from '@tactful/events';
import type { ReplyRoute, Store } from '@tactful/store-redis';

/** Where a reply to a command goes (`@tactful/store-redis` keeps it). */
export type { ReplyRoute };

/** The store's delivery records: the keys, the compare-and-set script, and the writing of reply routes. */
export type DeliveryRecords = Pick<
  Store,
  | 'deliverySlot'
  | 'setDeliverySlot'
  | 'deliveryRecord'
  | 'deliveryRecords'
  | 'deliveriesSince'
  | 'saveReplyRoute'
>;

export interface DeliveryStoreOptions {
  readonly store: DeliveryRecords;
  /** How long a reply to a delivered email can still be routed. */
  readonly replyRouteTtlMs: number;
  /** How far back delivery times are kept (the blast guard looks back one hour). */
  readonly deliveryTimesKeptMs?: number;
}

// A write loses a race only when another dispatcher touches the same command at the same moment; a few
// rounds settle it, more would mean a bug.
const MAX_ROUNDS = 10;

/**
 * The delivery records of the dispatcher, kept by the store (`@tactful/store-redis`, delivery-records.ts):
 * one record per command (claimed, ending, delivered, suppressed, failed, uncertain), which command holds
 * each template of a customer, when each delivery was made, and the routes of replies (written here, read by
 * the gateway's inbound SMTP through the store). Every change goes through `deliveryStep` (the delivery
 * protocol of `@tactful/engine`) and is written only if the record and the template's holder are still
 * what it was computed from.
 */
export function createDeliveryStore(options: DeliveryStoreOptions) {
  const { store } = options;
  const timesKeptMs = options.deliveryTimesKeptMs ?? 24 * 3_600_000;

  return {
    /** The command's record, or null when no dispatcher touched it. */
    async peek(customerId: string, commandId: string): Promise<DeliveryRecord | null> {
      const raw = await store.deliveryRecord(customerId, commandId);
      return raw === null ? null : parseRecord(raw, commandId);
    },

    /** Applies one action of the state machine atomically; resolves with what happened. */
    async apply<A extends DeliveryAction>(
      customerId: string,
      commandId: string,
      template: string,
      action: A,
    ): Promise<DeliveryStepResult<OutcomeOf<A>>> {
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const expected = await store.deliverySlot(customerId, commandId, template);
        const result = deliveryStep(
          {
            record: expected.record === null ? null : parseRecord(expected.record, commandId),
            holder: expected.holder,
          },
          commandId,
          template,
          action,
        );
        if (result.write === undefined) return result;
        const { record, holder, deliveredAt } = result.write;
        const written = await store.setDeliverySlot(customerId, {
          commandId,
          template,
          expected,
          record: record === null ? null : JSON.stringify(record),
          holder,
          ...(deliveredAt === undefined
            ? {}
            : { delivered: { at: deliveredAt, keepSince: deliveredAt - timesKeptMs } }),
        });
        if (written) return result;
      }
      throw TactfulError.retriable('store.conflict', `the delivery record of ${commandId} kept changing`);
    },

    /** How many emails were delivered to the customer since `since` (epoch ms). */
    deliveredSince: (customerId: string, since: number): Promise<number> =>
      store.deliveriesSince(customerId, since),

    /** Every delivery record of the customer (for `tactful explain`). */
    deliveriesOf: (customerId: string) => readDeliveries(store, customerId),

    /** Remembers where a reply to the command goes; written before the email leaves. */
    saveReplyRoute: (commandId: string, route: ReplyRoute): Promise<void> =>
      store.saveReplyRoute(commandId, route, options.replyRouteTtlMs),
  };
}

export type DeliveryStore = ReturnType<typeof createDeliveryStore>;

/** One command's delivery record, as `tactful explain` shows it. */
export type DeliveryView = { readonly commandId: string } & DeliveryRecord;

/**
 * Every delivery record of a customer, in the order they were settled (claims in flight last). A plain
 * read, for tools (`tactful explain`) that do not run a dispatcher.
 */
export async function readDeliveries(
  store: Pick<Store, 'deliveryRecords'>,
  customerId: string,
): Promise<DeliveryView[]> {
  const all = await store.deliveryRecords(customerId);
  const views = Object.entries(all).map(([commandId, raw]): DeliveryView => ({
    commandId,
    ...parseRecord(raw, commandId),
  }));
  const at = (v: DeliveryView) => ('at' in v ? v.at : Number.MAX_SAFE_INTEGER);
  return views.sort((a, b) => at(a) - at(b) || (a.commandId < b.commandId ? -1 : 1));
}

function parseRecord(raw: string, commandId: string): DeliveryRecord {
  try {
    return JSON.parse(raw) as DeliveryRecord;
  } catch (err) {
    throw new TactfulError('internal', `the delivery record of ${commandId} is not JSON`, { cause: err });
  }
}
