import { HaltMark, TactfulError } from '@tactful/events';
import type { StoreContext } from './context';
import { readHaltMarks, sortHalts } from './halts';
import { appliedBefore } from './applied-log';
import { decodeRecord } from './record-codec';
import { redisCall } from './redis-errors';

// Halt marks are written by the halt sentinel the moment a halting event is read, long before the
// orchestrator reaches it, and read by the orchestrator (load) and the dispatcher (last-mile check).
// They live in the customer's slot, so the commit script can compare their count (`haltsSeen`).

export function createHaltStore(ctx: StoreContext, ready: () => Promise<void>) {
  return {
    /**
     * Records that `mark.eventId` halts the customer's journeys (or all of them, or everything when
     * `optOut`). Idempotent per event id: the sentinel may see an event twice. Every distinct event
     * keeps its own mark. Returns whether the mark is new.
     */
    async markHalted(customerId: string, mark: HaltMark): Promise<boolean> {
      const { keys } = ctx.customer(customerId);
      const parsed = HaltMark.safeParse(mark);
      if (!parsed.success)
        throw new TactfulError(
          'internal',
          `invalid halt mark for ${customerId}:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')} ${i.message}`).join('\n')}`,
        );
      await ready();
      // an event the orchestrator already applied needs no mark (its commit cleared any earlier one);
      // `load` also counts marks of applied events as stale, which closes the race left here
      const record = await redisCall(`checking ${customerId}`, () => ctx.redis.getBuffer(keys.record));
      if (record !== null) {
        const { applied } = decodeRecord(record, customerId).record;
        if (appliedBefore(applied, mark.eventId, mark.position) !== false) return false;
      }
      // only the fields of a mark are stored (the schema drops the rest), so marks compare the same
      const added = await redisCall(`marking ${customerId} halted`, () =>
        ctx.redis.hsetnx(keys.halts, mark.eventId, JSON.stringify(parsed.data)),
      );
      return added === 1;
    },

    /** Removes the marks of these events (the orchestrator, for events it found already applied). */
    async clearHalts(customerId: string, eventIds: readonly string[]): Promise<number> {
      if (eventIds.length === 0) return 0;
      const { keys } = ctx.customer(customerId);
      await ready();
      return redisCall(`clearing halts of ${customerId}`, () => ctx.redis.hdel(keys.halts, ...eventIds));
    },

    /** Every halt mark of the customer (stale ones too, see `load`), in the order the events happened. */
    async getHalts(customerId: string): Promise<HaltMark[]> {
      const { keys } = ctx.customer(customerId);
      await ready();
      const values = await redisCall(`reading the halts of ${customerId}`, () => ctx.redis.hvals(keys.halts));
      return sortHalts(readHaltMarks(values, customerId));
    },
  };
}
