import { TactfulError } from '@tactful/events';
import type { StoreContext } from './context';
import { parseJson } from './json';
import { parseTimerMember, timerMember } from './keys';
import { redisCall } from './redis-errors';
import type { Timer, TimerBacklog, TimerRef } from './types';
import { assertNoProblems, timerRefProblems } from './validate';

// Timers are added and cancelled by commits (with the rest of what an event did); this part serves the
// timer service, which reads each shard's index for due timers, produces `timer.fired`, then removes them.

/** Bounds the work of one remove script, so one call never holds Redis for long. */
const REMOVE_CHUNK = 500;

interface Removal {
  ref: TimerRef;
  guard: string;
}

async function runRemovals(ctx: StoreContext, shard: number, removals: Removal[]): Promise<number> {
  const index = ctx.shard(shard).timers;
  let removed = 0;
  for (let at = 0; at < removals.length; at += REMOVE_CHUNK) {
    const chunk = removals.slice(at, at + REMOVE_CHUNK);
    const keys = [index, ...chunk.map((r) => ctx.customer(r.ref.customerId).keys.timers)];
    const args = chunk.flatMap((r) => [r.ref.timerId, timerMember(r.ref.customerId, r.ref.timerId), r.guard]);
    const reply = await redisCall(`removing timers of shard ${shard}`, () =>
      ctx.scripts.removeTimers(String(keys.length), ...keys, ...args),
    );
    if (typeof reply !== 'number')
      throw new TactfulError('internal', `unexpected reply of the remove script: ${JSON.stringify(reply)}`);
    removed += reply;
  }
  return removed;
}

export function createTimerStore(ctx: StoreContext, ready: () => Promise<void>) {
  return {
    /** Timers of a shard due at or before `now` (epoch ms), earliest first, at most `limit`. */
    async dueTimers(shard: number, now: number, limit: number): Promise<Timer[]> {
      const index = ctx.shard(shard).timers;
      if (!Number.isSafeInteger(limit) || limit < 1)
        throw new TactfulError('internal', `limit must be a positive integer, got ${limit}`);
      if (!Number.isFinite(now))
        throw new TactfulError('internal', `now must be epoch milliseconds, got ${now}`);
      await ready();
      const entries = await redisCall(`reading due timers of shard ${shard}`, () =>
        ctx.redis.zrangebyscore(index, '-inf', now, 'LIMIT', 0, limit),
      );
      const refs = entries.map((member) => ({ member, ref: parseTimerMember(member) }));
      const foreign = refs.filter((r) => r.ref === null).map((r) => r.member);
      // a member this layout did not write can never fire, and would take a place in every answer
      if (foreign.length > 0)
        await redisCall(`removing foreign members of ${index}`, () => ctx.redis.zrem(index, ...foreign));
      const wanted = refs.flatMap((r) => (r.ref === null ? [] : [r.ref]));
      if (wanted.length === 0) return [];
      // the keys share the shard's slot, so one pipeline is one round trip even on a cluster
      const pipeline = ctx.redis.pipeline();
      for (const r of wanted) pipeline.hget(ctx.customer(r.customerId).keys.timers, r.timerId);
      const results = await redisCall(`reading due timers of shard ${shard}`, () => pipeline.exec());
      const timers: Timer[] = [];
      const orphans: Removal[] = [];
      wanted.forEach((ref, i) => {
        const [err, json] = results?.[i] ?? [new Error('pipeline discarded'), null];
        if (err !== null) throw new TactfulError('internal', `reading timer ${ref.timerId}`, { cause: err });
        if (typeof json !== 'string') orphans.push({ ref, guard: 'orphan' });
        else {
          const timer = parseJson<Timer>(json, `timer ${ref.timerId} of ${ref.customerId}`);
          // rescheduled by a commit between the two reads: no longer due
          if (timer.dueAt <= now) timers.push(timer);
        }
      });
      // orphans are normally index entries cancelled between the two reads (the removal is then a
      // no-op); the script removes them only if the timer is still missing from its customer's hash
      if (orphans.length > 0) await runRemovals(ctx, shard, orphans);
      return timers.sort((a, b) => a.dueAt - b.dueAt);
    },

    /**
     * Removes fired timers from the shard. With `dueAt` (as `dueTimers` returned it) a timer is removed
     * only if it was not rescheduled since; without, unconditionally. Returns how many were removed.
     */
    async removeTimers(shard: number, refs: TimerRef[]): Promise<number> {
      ctx.shard(shard);
      assertNoProblems('timer references', timerRefProblems(refs));
      for (const ref of refs)
        if (ctx.shardOf(ref.customerId) !== shard)
          throw new TactfulError('internal', `customer ${ref.customerId} is not in shard ${shard}`);
      if (refs.length === 0) return 0;
      await ready();
      return runRemovals(
        ctx,
        shard,
        refs.map((ref) => ({ ref, guard: ref.dueAt === undefined ? '' : String(ref.dueAt) })),
      );
    },

    /** The customer's pending timers, earliest first. */
    async timersOf(customerId: string): Promise<Timer[]> {
      const { keys } = ctx.customer(customerId);
      await ready();
      const values = await redisCall(`reading the timers of ${customerId}`, () =>
        ctx.redis.hvals(keys.timers),
      );
      return values
        .map((v) => parseJson<Timer>(v, `a timer of ${customerId}`))
        .sort((a, b) => a.dueAt - b.dueAt);
    },

    /** Timers waiting over all shards, the earliest due time, and how many are due at `now` (if given). */
    async timerBacklog(now?: number): Promise<TimerBacklog> {
      await ready();
      const perShard = await redisCall('measuring the timer backlog', () =>
        Promise.all(
          Array.from({ length: ctx.shards }, async (_, shard) => {
            const index = ctx.shard(shard).timers;
            const [count, oldest, due] = await Promise.all([
              ctx.redis.zcard(index),
              ctx.redis.zrange(index, 0, 0, 'WITHSCORES'),
              now === undefined ? Promise.resolve(null) : ctx.redis.zcount(index, '-inf', now),
            ]);
            return { count, oldest: oldest[1] === undefined ? null : Number(oldest[1]), due };
          }),
        ),
      );
      let count = 0;
      let oldestDueAt: number | null = null;
      let dueCount: number | null = now === undefined ? null : 0;
      for (const s of perShard) {
        count += s.count;
        if (s.oldest !== null && (oldestDueAt === null || s.oldest < oldestDueAt)) oldestDueAt = s.oldest;
        if (dueCount !== null && s.due !== null) dueCount += s.due;
      }
      return { count, oldestDueAt, dueCount };
    },
  };
}
