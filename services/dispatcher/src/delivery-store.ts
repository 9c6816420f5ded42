import { readFileSync } from 'node:fs';
import type { Cluster, Redis } from 'ioredis';
import { TactfulError } from '@tactful/events';
import { redisCall, type Store } from '@tactful/store-redis';
import { transition, type DeliveryAction, type DeliveryRecord, type Transition } from './claim';

/** Where a reply to a command goes: kept per command id so the inbound endpoint can route a reply. */
export interface ReplyRoute {
  readonly customerId: string;
  readonly journey: string;
  readonly template: string;
}

export interface DeliveryStoreOptions {
  readonly redis: Redis | Cluster;
  /** The key layout of the journey store: the delivery keys live in each customer's slot. */
  readonly store: Pick<Store, 'customerKey'>;
  readonly namespace: string;
  /** How long a reply to a delivered email can still be routed. */
  readonly replyRouteTtlMs: number;
  /** How far back delivery times are kept (the blast guard looks back one hour). */
  readonly deliveryTimesKeptMs?: number;
}

/** The dispatcher's own keys of one customer (README, "Redis keys"). */
export function deliveryKeys(store: Pick<Store, 'customerKey'>, customerId: string) {
  return {
    deliveries: store.customerKey(customerId, 'deliveries'),
    templates: store.customerKey(customerId, 'delivered-templates'),
    times: store.customerKey(customerId, 'delivery-times'),
  };
}

const SCRIPT = readFileSync(new URL('./lua/cas-delivery.lua', import.meta.url), 'utf8');
const COMMAND = 'tactfulCasDelivery';
// A write loses a race only when another dispatcher touches the same command at the same moment; a few
// rounds settle it, more would mean a bug.
const MAX_ROUNDS = 10;

/**
 * The delivery records of the dispatcher in Redis: one record per command (claimed, ending, delivered,
 * suppressed, failed, uncertain), which command holds each template of a customer, when each delivery
 * was made, and the routes of replies. Every change goes through `transition` (claim.ts) and is
 * written only if the record and the template's holder are still what it was computed from.
 */
export function createDeliveryStore(options: DeliveryStoreOptions) {
  const { redis, store } = options;
  redis.defineCommand(COMMAND, { lua: SCRIPT, numberOfKeys: 3 });
  const cas = (redis as unknown as Record<string, (...args: string[]) => Promise<number>>)[COMMAND]?.bind(
    redis,
  );
  if (cas === undefined) throw new TactfulError('internal', `ioredis did not define ${COMMAND}`);
  const timesKeptMs = options.deliveryTimesKeptMs ?? 24 * 3_600_000;
  const routeKey = (commandId: string) => `${options.namespace}:reply:${commandId}`;

  async function read(customerId: string, commandId: string, template: string) {
    const keys = deliveryKeys(store, customerId);
    const [record, holder] = await redisCall(`reading the delivery of ${commandId}`, () =>
      Promise.all([redis.hget(keys.deliveries, commandId), redis.hget(keys.templates, template)]),
    );
    return { keys, raw: record ?? '', holder: holder ?? '' };
  }

  return {
    /** The command's record, or null when no dispatcher touched it. */
    async peek(customerId: string, commandId: string): Promise<DeliveryRecord | null> {
      const keys = deliveryKeys(store, customerId);
      const raw = await redisCall(`reading the delivery of ${commandId}`, () =>
        redis.hget(keys.deliveries, commandId),
      );
      return raw === null ? null : parseRecord(raw, commandId);
    },

    /** Applies one action of the state machine atomically; resolves with what happened. */
    async apply(
      customerId: string,
      commandId: string,
      template: string,
      action: DeliveryAction,
    ): Promise<Transition> {
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const { keys, raw, holder } = await read(customerId, commandId, template);
        const result = transition(
          { record: raw === '' ? null : parseRecord(raw, commandId), holder: holder === '' ? null : holder },
          commandId,
          template,
          action,
        );
        if (result.write === undefined) return result;
        const { record, holder: newHolder, deliveredAt } = result.write;
        const written = await redisCall(`recording the delivery of ${commandId}`, () =>
          cas(
            keys.deliveries,
            keys.templates,
            keys.times,
            commandId,
            template,
            raw,
            holder,
            record === null ? '' : JSON.stringify(record),
            newHolder ?? '',
            deliveredAt === undefined ? '' : String(deliveredAt),
            deliveredAt === undefined ? '' : String(deliveredAt - timesKeptMs),
          ),
        );
        if (written === 1) return result;
      }
      throw TactfulError.retriable('store.conflict', `the delivery record of ${commandId} kept changing`);
    },

    /** How many emails were delivered to the customer since `since` (epoch ms). */
    async deliveredSince(customerId: string, since: number): Promise<number> {
      const { times } = deliveryKeys(store, customerId);
      return redisCall(`counting the deliveries to ${customerId}`, () => redis.zcount(times, since, '+inf'));
    },

    /** Every delivery record of the customer (for `tactful explain`). */
    deliveriesOf: (customerId: string) => readDeliveries(redis, store, customerId),

    /** Remembers where a reply to the command goes; written before the email leaves. */
    async saveReplyRoute(commandId: string, route: ReplyRoute): Promise<void> {
      await redisCall(`saving the reply route of ${commandId}`, () =>
        redis.set(routeKey(commandId), JSON.stringify(route), 'PX', options.replyRouteTtlMs),
      );
    },

    /** Where a reply to the command goes, or null for a command we never delivered (or long ago). */
    async replyRoute(commandId: string): Promise<ReplyRoute | null> {
      const raw = await redisCall(`reading the reply route of ${commandId}`, () =>
        redis.get(routeKey(commandId)),
      );
      if (raw === null) return null;
      try {
        return JSON.parse(raw) as ReplyRoute;
      } catch (err) {
        throw new TactfulError('internal', `the reply route of ${commandId} is not JSON`, { cause: err });
      }
    },
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
  redis: Redis | Cluster,
  store: Pick<Store, 'customerKey'>,
  customerId: string,
): Promise<DeliveryView[]> {
  const { deliveries } = deliveryKeys(store, customerId);
  const all = await redisCall(`reading the deliveries of ${customerId}`, () => redis.hgetall(deliveries));
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
