import { TactfulError } from '@tactful/events';
import type { StoreContext } from './context';
import { deliveryKeys, replyRouteKey } from './keys';
import { redisCall } from './redis-errors';

// The dispatcher's delivery records (packages/engine/README.md, "The delivery protocol"), kept in the
// customer's slot. The store holds them and makes each change atomic and conditional; what a record says
// and how it may change is the delivery protocol (`deliveryStep` of @tactful/engine), so a record is text
// here: the JSON the protocol wrote, compared byte for byte.

/** One command's record and its template's holder, as stored: null when absent. */
export interface DeliverySlotText {
  readonly record: string | null;
  /** The command id the template is delivered (or being delivered) by. */
  readonly holder: string | null;
}

/** A compare-and-set of one command's slot: written only if the slot still holds `expected`. */
export interface DeliverySlotWrite {
  readonly commandId: string;
  readonly template: string;
  readonly expected: DeliverySlotText;
  /** The new record (null deletes it) and holder of the template (null: none). */
  readonly record: string | null;
  readonly holder: string | null;
  /** When the write records a delivery: its time, and how far back the delivery times are kept (epoch ms). */
  readonly delivered?: { readonly at: number; readonly keepSince: number };
}

/** Where a reply to a command goes: kept per command id so the inbound endpoint can route a reply. */
export interface ReplyRoute {
  readonly customerId: string;
  readonly journey: string;
  readonly template: string;
}

export function createDeliveryRecordStore(ctx: StoreContext, ready: () => Promise<void>) {
  const keysOf = (customerId: string) => {
    const { shard } = ctx.customer(customerId);
    return deliveryKeys(ctx.namespace, shard, customerId);
  };

  return {
    /** The command's record and the holder of `template`, read together. */
    async deliverySlot(customerId: string, commandId: string, template: string): Promise<DeliverySlotText> {
      const keys = keysOf(customerId);
      await ready();
      const [record, holder] = await redisCall(`reading the delivery of ${commandId}`, () =>
        Promise.all([ctx.redis.hget(keys.deliveries, commandId), ctx.redis.hget(keys.templates, template)]),
      );
      return { record, holder };
    },

    /** `lua/cas-delivery.lua`: whether the slot still held `expected` and was written. */
    async setDeliverySlot(customerId: string, write: DeliverySlotWrite): Promise<boolean> {
      const keys = keysOf(customerId);
      await ready();
      const { commandId, template, expected, delivered } = write;
      const written = await redisCall(`recording the delivery of ${commandId}`, () =>
        ctx.scripts.casDelivery(
          keys.deliveries,
          keys.templates,
          keys.times,
          commandId,
          template,
          expected.record ?? '',
          expected.holder ?? '',
          write.record ?? '',
          write.holder ?? '',
          delivered === undefined ? '' : String(delivered.at),
          delivered === undefined ? '' : String(delivered.keepSince),
        ),
      );
      return written === 1;
    },

    /** The command's record, or null when no dispatcher touched it. */
    async deliveryRecord(customerId: string, commandId: string): Promise<string | null> {
      const keys = keysOf(customerId);
      await ready();
      return redisCall(`reading the delivery of ${commandId}`, () =>
        ctx.redis.hget(keys.deliveries, commandId),
      );
    },

    /** Every delivery record of the customer: command id → record. */
    async deliveryRecords(customerId: string): Promise<Record<string, string>> {
      const keys = keysOf(customerId);
      await ready();
      return redisCall(`reading the deliveries of ${customerId}`, () => ctx.redis.hgetall(keys.deliveries));
    },

    /** How many deliveries to the customer were recorded at or after `since` (epoch ms). */
    async deliveriesSince(customerId: string, since: number): Promise<number> {
      const keys = keysOf(customerId);
      await ready();
      return redisCall(`counting the deliveries to ${customerId}`, () =>
        ctx.redis.zcount(keys.times, since, '+inf'),
      );
    },

    /** Remembers where a reply to the command goes, for `ttlMs`. */
    async saveReplyRoute(commandId: string, route: ReplyRoute, ttlMs: number): Promise<void> {
      const value = JSON.stringify({
        customerId: route.customerId,
        journey: route.journey,
        template: route.template,
      });
      await ready();
      await redisCall(`saving the reply route of ${commandId}`, () =>
        ctx.redis.set(replyRouteKey(ctx.namespace, commandId), value, 'PX', ttlMs),
      );
    },

    /** Where a reply to the command goes, or null for a command never delivered (or expired). */
    async replyRoute(commandId: string): Promise<ReplyRoute | null> {
      await ready();
      const raw = await redisCall(`reading the reply route of ${commandId}`, () =>
        ctx.redis.get(replyRouteKey(ctx.namespace, commandId)),
      );
      return raw === null ? null : parseReplyRoute(raw, commandId);
    },
  };
}

function parseReplyRoute(raw: string, commandId: string): ReplyRoute {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new TactfulError('internal', `the reply route of ${commandId} is not JSON`, { cause: err });
  }
  const route: Record<string, unknown> = typeof value === 'object' && value !== null ? { ...value } : {};
  const { customerId, journey, template } = route;
  if (typeof customerId !== 'string' || typeof journey !== 'string' || typeof template !== 'string')
    throw new TactfulError(
      'internal',
      `the reply route of ${commandId} is not { customerId, journey, template }`,
    );
  return { customerId, journey, template };
}
