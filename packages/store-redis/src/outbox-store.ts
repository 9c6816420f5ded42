import { Packr } from 'msgpackr';
import { TactfulError } from '@tactful/events';
import type { StoreContext } from './context';
import { redisCall } from './redis-errors';
import type { OutboxMessage, PendingOutbox } from './types';

// The outbox holds the messages a commit decided until they are on Kafka. The orchestrator relays them
// from memory right after the commit and then acknowledges the commit's field; a crash in between
// leaves the field here, and recovery (`pendingOutbox`) relays it again (consumers deduplicate on the
// message id, so relaying twice is harmless; losing one is not).

const packr = new Packr({ useRecords: false, moreTypes: false });

/** Pure. The messages of one outbox field, as `encodeOutbox` wrote them. */
export function decodeOutbox(bytes: Buffer, field: string): OutboxMessage[] {
  let raw: unknown;
  try {
    raw = packr.unpack(bytes);
  } catch (err) {
    throw new TactfulError('internal', `outbox field ${field} is not MessagePack`, { cause: err });
  }
  if (!Array.isArray(raw)) throw new TactfulError('internal', `outbox field ${field} is not a list`);
  return raw.map((entry: unknown) => {
    if (!Array.isArray(entry) || entry.length !== 4 || !entry.every((part) => typeof part === 'string'))
      throw new TactfulError('internal', `outbox field ${field} holds a damaged message`);
    const [id, topic, key, value] = entry as string[];
    return { id: id!, topic: topic!, key: key!, value: value! };
  });
}

export function createOutboxStore(ctx: StoreContext, ready: () => Promise<void>) {
  return {
    /**
     * Every outbox field not yet acknowledged whose name starts with `prefix:` (all of them without a
     * prefix), shard by shard, each field's messages in commit order. What recovery relays after a crash.
     */
    async pendingOutbox(prefix?: string): Promise<PendingOutbox[]> {
      await ready();
      const match = prefix === undefined ? '*' : `${prefix.replace(/[*?[\]\\]/g, '\\$&')}:*`;
      const perShard = await Promise.all(
        Array.from({ length: ctx.shards }, (_, shard) =>
          redisCall(`reading the outbox of shard ${shard}`, async () => {
            const key = ctx.shard(shard).outbox;
            const found: PendingOutbox[] = [];
            let cursor = '0';
            do {
              // HSCAN rather than HGETALL: after an outage a shard's outbox can be large
              const [next, flat] = await ctx.redis.hscanBuffer(key, cursor, 'MATCH', match, 'COUNT', 200);
              for (let i = 0; i + 1 < flat.length; i += 2) {
                const field = flat[i]!.toString('utf8');
                if (!found.some((f) => f.field === field))
                  found.push({ shard, field, messages: decodeOutbox(flat[i + 1]!, field) });
              }
              cursor = next.toString();
            } while (cursor !== '0');
            return found;
          }),
        ),
      );
      return perShard.flat();
    },

    /** Removes relayed outbox fields; fields already gone are ignored, so an ack may be repeated. */
    async ackOutbox(fields: readonly { shard: number; field: string }[]): Promise<number> {
      if (fields.length === 0) return 0;
      await ready();
      const byShard = new Map<number, string[]>();
      for (const { shard, field } of fields) byShard.set(shard, [...(byShard.get(shard) ?? []), field]);
      const removed = await redisCall(`acknowledging ${fields.length} outbox field(s)`, () =>
        Promise.all([...byShard].map(([shard, names]) => ctx.redis.hdel(ctx.shard(shard).outbox, ...names))),
      );
      return removed.reduce((a, b) => a + b, 0);
    },
  };
}
