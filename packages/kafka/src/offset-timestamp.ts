import { TactfulError } from '@tactful/events';

/**
 * The timestamp of the message at an offset, found without reading the topic. Kafka answers one question
 * about time (ListOffsets by timestamp, `admin.fetchTopicOffsetsByTimestamp`): "the first offset whose
 * timestamp is ≥ t" (or the log end when there is none). Call it first(t). For a target offset c, first(t)
 * ≤ c exactly when some message in [log start, c] has a timestamp ≥ t, so the largest t with first(t) ≤ c is
 * M(c), the newest timestamp among the messages up to and including c. A search over t finds it.
 *
 * What that is worth: the message at c is not newer than M(c), so `now - M(c)` never overstates its age
 * (a sound lower bound). When timestamps grow along the partition (LogAppendTime, or producers whose
 * clocks agree), M(c) is its timestamp. And when first(M(c)) = c, the broker itself says the message at c
 * carries M(c): the age is then exact, whatever the other timestamps are (`exact`).
 */
export interface OffsetTimestampTarget {
  partition: number;
  /** An offset that holds a message: at or after the log start, before the log end. */
  offset: number;
}

export interface OffsetTimestamp {
  /** M(offset): the newest timestamp among the messages up to and including the offset. */
  timestamp: number;
  /** The message at the offset carries that timestamp (so `now - timestamp` is its age). */
  exact: boolean;
}

/** first(t) for every partition of one topic: `admin.fetchTopicOffsetsByTimestamp(topic, t)`. */
export type FirstOffsetsAt = (
  timestamp: number,
) => Promise<ReadonlyArray<{ partition: number; offset: string | number }>>;

export interface OffsetTimestampOptions {
  /** Where the search starts; the answer is found in about 2·log2(now - M) queries. */
  now: number;
  /** The latest timestamp to try when messages carry timestamps from the future. */
  maxTimestamp?: number;
}

const MAX_DATE = 8_640_000_000_000_000;
const FIRST_STEP_MS = 1000;

interface Search {
  target: OffsetTimestampTarget;
  /** The largest t seen with first(t) ≤ offset, and first(t) there. */
  lo?: { t: number; first: number };
  /** The smallest t seen with first(t) > offset. */
  hi?: number;
}

function resolved(s: Search, maxTimestamp: number): boolean {
  if (s.lo !== undefined && s.hi !== undefined) return s.hi - s.lo.t <= 1;
  if (s.lo === undefined) return s.hi === 0; // timestamps below 0 cannot be asked for (-1, -2 are specials)
  return s.lo.t >= maxTimestamp;
}

/** The next t to ask about for one search: exponential away from `now` until bracketed, then bisection. */
function nextProbe(s: Search, now: number, maxTimestamp: number): number {
  if (s.lo === undefined && s.hi === undefined) return now;
  if (s.lo === undefined) return Math.max(0, now - Math.max(FIRST_STEP_MS, 2 * (now - s.hi!)));
  if (s.hi === undefined) return Math.min(maxTimestamp, now + Math.max(FIRST_STEP_MS, 2 * (s.lo.t - now)));
  return Math.floor((s.lo.t + s.hi) / 2);
}

/** The width still to search; an unbracketed search is the widest. */
function uncertainty(s: Search): number {
  return s.lo === undefined || s.hi === undefined ? Infinity : s.hi - s.lo.t;
}

/**
 * M(offset) for each target of one topic (null when no message up to it has a timestamp ≥ 0). Every query
 * answers for all partitions at once, so each one narrows every search it can, not only the one it was
 * chosen for: the first probes are shared by all targets.
 */
export async function findOffsetTimestamps(
  targets: readonly OffsetTimestampTarget[],
  firstOffsetsAt: FirstOffsetsAt,
  options: OffsetTimestampOptions,
): Promise<(OffsetTimestamp | null)[]> {
  const maxTimestamp = options.maxTimestamp ?? MAX_DATE;
  const now = Math.min(Math.max(0, Math.floor(options.now)), maxTimestamp);
  const searches: Search[] = targets.map((target) => ({ target }));
  // each probe halves or doubles the bracket of the search it was chosen for: ~4·53 probes bound one search
  let budget = 256 * Math.max(1, targets.length);
  for (;;) {
    const open = searches.filter((s) => !resolved(s, maxTimestamp));
    if (open.length === 0) break;
    if (budget-- <= 0) {
      throw new TactfulError('internal', 'offset timestamp search did not converge');
    }
    const chosen = open.reduce((a, b) => (uncertainty(b) > uncertainty(a) ? b : a));
    const t = nextProbe(chosen, now, maxTimestamp);
    const answer = await firstOffsetsAt(t);
    const firsts = new Map(answer.map((a) => [a.partition, Number(a.offset)]));
    for (const s of searches) {
      const first = firsts.get(s.target.partition);
      if (first === undefined) continue;
      if (first <= s.target.offset) {
        if (s.lo === undefined || t > s.lo.t) s.lo = { t, first };
      } else if (s.hi === undefined || t < s.hi) {
        s.hi = t;
      }
    }
    if (!firsts.has(chosen.target.partition)) {
      throw TactfulError.retriable(
        'kafka.unavailable',
        `no offset for partition ${chosen.target.partition} at timestamp ${t}`,
      );
    }
  }
  return searches.map((s) =>
    s.lo === undefined ? null : { timestamp: s.lo.t, exact: s.lo.first === s.target.offset },
  );
}
