import { TactfulError } from '@tactful/events';
import type { StoreContext } from './context';
import { decodeRecord } from './record-codec';
import { parseTimerMember, timerMember } from './keys';
import { redisCall } from './redis-errors';
import type { Timer, TimerBacklog, TimerRef } from './types';
import { assertNoProblems, timerRefProblems } from './validate';

// Timers are added and cancelled by commits (with the rest of what an event did): a timer lives in its
// customer's record and has an entry in its shard's index (due time → member). This part serves the timer
// service, which reads the index for due timers, produces `timer.fired`, then removes their entries.

/** Bounds the work of one remove script, so one call never holds Redis for long. */
const REMOVE_CHUNK = 500;

interface Removal {
  ref: TimerRef;
  /** '' = unconditionally, else the due time the index entry must still have. */
  guard: string;
}

async function runRemovals(ctx: StoreContext, shard: number, removals: Removal[]): Promise<number> {
  const index = ctx.shard(shard).timers;
  let removed = 0;
  for (let at = 0; at < removals.length; at += REMOVE_CHUNK) {
    const args = removals
      .slice(at, at + REMOVE_CHUNK)
      .flatMap((r) => [timerMember(r.ref.customerId, r.ref.timerId), r.guard]);
    const reply = await redisCall(`removing timers of shard ${shard}`, () =>
      ctx.scripts.removeTimers(index, ...args),
    );
    if (typeof reply !== 'number')
      throw new TactfulError('internal', `unexpected reply of the remove script: ${JSON.stringify(reply)}`);
    removed += reply;
  }
  return removed;
}

/**
 * The due timers of a shard, read from the index and then from their customers' records; index entries
 * with no timer behind them (cancelled between the two reads, or left behind) are removed.
 */
async function readDueTimers(ctx: StoreContext, shard: number, now: number, limit: number): Promise<Timer[]> {
  const index = ctx.shard(shard).timers;
  const entries = await redisCall(`reading due timers of shard ${shard}`, () =>
    ctx.redis.zrangebyscoreBuffer(index, '-inf', now, 'WITHSCORES', 'LIMIT', 0, limit),
  );
  const refs: { member: Buffer; score: string; ref: ReturnType<typeof parseTimerMember> }[] = [];
  for (let i = 0; i + 1 < entries.length; i += 2)
    refs.push({
      member: entries[i]!,
      score: entries[i + 1]!.toString(),
      ref: parseTimerMember(entries[i]!),
    });
  const foreign = refs.filter((r) => r.ref === null).map((r) => r.member);
  // a member this layout did not write can never fire, and would take a place in every answer
  if (foreign.length > 0)
    await redisCall(`removing foreign members of ${index}`, () => ctx.redis.zrem(index, ...foreign));
  const wanted = refs.flatMap((r) => (r.ref === null ? [] : [{ ...r.ref, score: r.score }]));
  if (wanted.length === 0) return [];
  // the timers live in their customers' records; the keys share the shard's slot, so one pipeline
  const customers = [...new Set(wanted.map((w) => w.customerId))];
  const pipeline = ctx.redis.pipeline();
  for (const c of customers) pipeline.getBuffer(ctx.customer(c).keys.record);
  const results = await redisCall(`reading due timers of shard ${shard}`, () => pipeline.exec());
  const timersOf = new Map<string, Timer[]>();
  customers.forEach((customerId, i) => {
    const [err, bytes] = results?.[i] ?? [new Error('pipeline discarded'), null];
    if (err !== null)
      throw new TactfulError('internal', `reading the record of ${customerId}`, { cause: err });
    timersOf.set(customerId, bytes instanceof Buffer ? decodeRecord(bytes, customerId).record.timers : []);
  });
  const timers: Timer[] = [];
  const orphans: Removal[] = [];
  for (const ref of wanted) {
    const timer = timersOf.get(ref.customerId)?.find((t) => t.id === ref.timerId);
    // cancelled between the two reads (the commit removed the entry too), or an entry left behind
    if (timer === undefined) orphans.push({ ref, guard: ref.score });
    // rescheduled by a commit between the two reads: no longer due
    else if (timer.dueAt <= now) timers.push(timer);
  }
  if (orphans.length > 0) await runRemovals(ctx, shard, orphans);
  return timers.sort((a, b) => a.dueAt - b.dueAt);
}

/** Counts the index of every shard. */
async function measureBacklog(ctx: StoreContext, now: number | undefined): Promise<TimerBacklog> {
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
}

export function createTimerStore(ctx: StoreContext, ready: () => Promise<void>) {
  return {
    /** Timers of a shard due at or before `now` (epoch ms), earliest first, at most `limit`. */
    async dueTimers(shard: number, now: number, limit: number): Promise<Timer[]> {
      ctx.shard(shard);
      if (!Number.isSafeInteger(limit) || limit < 1)
        throw new TactfulError('internal', `limit must be a positive integer, got ${limit}`);
      if (!Number.isFinite(now))
        throw new TactfulError('internal', `now must be epoch milliseconds, got ${now}`);
      await ready();
      return readDueTimers(ctx, shard, now, limit);
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

    /** The customer's pending timers, earliest first (a fired one stays until its event is applied). */
    async timersOf(customerId: string): Promise<Timer[]> {
      const { keys } = ctx.customer(customerId);
      await ready();
      const bytes = await redisCall(`reading the timers of ${customerId}`, () =>
        ctx.redis.getBuffer(keys.record),
      );
      if (bytes === null) return [];
      return [...decodeRecord(bytes, customerId).record.timers].sort((a, b) => a.dueAt - b.dueAt);
    },

    /** Timers waiting over all shards, the earliest due time, and how many are due at `now` (if given). */
    async timerBacklog(now?: number): Promise<TimerBacklog> {
      await ready();
      return measureBacklog(ctx, now);
    },
  };
}
