import type { StoreContext } from './context';
import { normaliseHalt, sortHalts } from './halts';
import { parseJson } from './json';
import { redisCall } from './redis-errors';
import type { HaltMark } from './types';
import { assertNoProblems, haltMarkProblems } from './validate';

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
      assertNoProblems(`halt mark for ${customerId}`, haltMarkProblems(mark));
      await ready();
      const added = await redisCall(`marking ${customerId} halted`, () =>
        ctx.redis.hsetnx(keys.halts, mark.eventId, JSON.stringify(normaliseHalt(mark))),
      );
      return added === 1;
    },

    /** Every halt mark of the customer, in the order the halting events happened. */
    async getHalts(customerId: string): Promise<HaltMark[]> {
      const { keys } = ctx.customer(customerId);
      await ready();
      const values = await redisCall(`reading the halts of ${customerId}`, () => ctx.redis.hvals(keys.halts));
      return sortHalts(values.map((v) => parseJson<HaltMark>(v, `a halt mark of ${customerId}`)));
    },
  };
}
