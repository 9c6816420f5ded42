import type { Admin } from 'kafkajs';
import { partitionKey, type GroupSample, type PartitionOffsets } from './lag-sample';
import { findOffsetTimestamps, type OffsetTimestamp } from './offset-timestamp';

/** The next message a lagging partition waits on, dated without reading it (see offset-timestamp.ts). */
export interface NextMessageTime {
  /** Its offset: the committed offset, or the log start when retention already removed that one. */
  offset: number;
  /** The newest timestamp among the messages up to and including it (its own when `exact`). */
  timestamp: number;
  /** `at - timestamp`, never below 0: how long it has waited at least (exactly, when `exact`). */
  ageMs: number;
  exact: boolean;
}

/** Messages already dated, by the message they wait on; carried from one sample to the next. */
export type NextMessageCache = Map<string, OffsetTimestamp | null>;

/** Which message a partition waits on; the same for every group at the same place in the log. */
function waitingOn(p: PartitionOffsets): { key: string; offset: number } | undefined {
  if (!p.lag || p.committed === null || p.logStart === null) return undefined;
  const offset = Math.max(p.committed, p.logStart);
  // the log start is part of the key: retention moving it may remove the message that held the newest time
  return { key: `${partitionKey(p)}\u0000${offset}\u0000${p.logStart}`, offset };
}

export interface NextMessageTimes {
  /** By `nextMessageTimeKey(partition)`. */
  times: Map<string, NextMessageTime | null>;
  /** Pass back at the next sample: a message already dated is not searched for again. */
  cache: NextMessageCache;
}

/** The key `NextMessageTimes.times` uses for a partition (undefined when it waits on nothing). */
export function nextMessageTimeKey(p: PartitionOffsets): string | undefined {
  return waitingOn(p)?.key;
}

/**
 * Dates the next message of every lagging partition of the samples (taken at the same instant), with one
 * search per topic covering every group and partition; messages dated at an earlier sample come from the
 * cache, so a watch that sees nothing move asks the broker nothing more.
 */
export async function estimateNextMessageTimes(
  admin: Admin,
  samples: readonly GroupSample[],
  cache: ReadonlyMap<string, OffsetTimestamp | null>,
): Promise<NextMessageTimes> {
  const at = samples[0]?.at ?? 0;
  const wanted = new Map<string, { topic: string; partition: number; offset: number }>();
  for (const s of samples)
    for (const p of s.partitions) {
      const w = waitingOn(p);
      if (w) wanted.set(w.key, { topic: p.topic, partition: p.partition, offset: w.offset });
    }

  const next: NextMessageCache = new Map();
  const missing = new Map<string, { key: string; partition: number; offset: number }[]>();
  for (const [key, w] of wanted) {
    const hit = cache.get(key);
    if (hit !== undefined) next.set(key, hit);
    else missing.set(w.topic, [...(missing.get(w.topic) ?? []), { key, ...w }]);
  }
  await Promise.all(
    [...missing].map(async ([topic, targets]) => {
      const found = await findOffsetTimestamps(
        targets,
        (timestamp) => admin.fetchTopicOffsetsByTimestamp(topic, timestamp),
        { now: at },
      );
      targets.forEach((t, i) => next.set(t.key, found[i] ?? null));
    }),
  );

  const times = new Map<string, NextMessageTime | null>();
  for (const [key, w] of wanted) {
    const found = next.get(key);
    times.set(
      key,
      found
        ? {
            offset: w.offset,
            timestamp: found.timestamp,
            ageMs: Math.max(0, at - found.timestamp),
            exact: found.exact,
          }
        : null,
    );
  }
  return { times, cache: next };
}
