import type { Admin } from 'kafkajs';
import { partitionKey } from './lag-sample';

/**
 * A consumer group's committed offsets against the ends of the partitions it reads: the one reading of
 * "how far behind is the group", shared by lag measurement (`readGroupSamples`) and the read barrier
 * (`createReadBarrier`). Offsets are JavaScript numbers, as in `lag-sample.ts`.
 */

/** A group's committed offset on one partition: the next offset it reads; null when it never committed. */
export interface CommittedOffset {
  topic: string;
  partition: number;
  committed: number | null;
}

/** A partition's log: `low` the first offset still kept, `high` the one the next message will get. */
export interface LogRange {
  low: number;
  high: number;
}

/** Log ranges by `partitionKey`. */
export type LogEnds = ReadonlyMap<string, LogRange>;

/**
 * The group's committed offsets, on `topics` (every partition of each, null where it never committed) or,
 * without, on every topic it has committed on. Never resolves offsets: kafkajs would write them back.
 */
export async function readCommittedOffsets(
  admin: Admin,
  groupId: string,
  topics?: readonly string[],
): Promise<CommittedOffset[]> {
  const answer = await admin.fetchOffsets(
    topics === undefined ? { groupId } : { groupId, topics: [...topics] },
  );
  return answer.flatMap((t) =>
    t.partitions.map((p) => {
      const value = Number(p.offset);
      // -1: no offset committed for this partition
      return { topic: t.topic, partition: p.partition, committed: value >= 0 ? value : null };
    }),
  );
}

/** The log start and end of every partition of `topics`, by `partitionKey`. */
export async function readLogEnds(admin: Admin, topics: readonly string[]): Promise<Map<string, LogRange>> {
  const ends = new Map<string, LogRange>();
  await Promise.all(
    topics.map(async (topic) => {
      for (const p of await admin.fetchTopicOffsets(topic))
        ends.set(partitionKey({ topic, partition: p.partition }), {
          low: Number(p.low),
          high: Number(p.high),
        });
    }),
  );
  return ends;
}

/**
 * Pure. The messages a group has still to read on a partition: `high - committed`, never below 0 (a
 * committed offset past the end means the topic was recreated or truncated: nothing to read); null when
 * the group never committed there or the partition is unknown (Kafka's own tool prints `-`).
 */
export function lagOf(committed: number | null, end: LogRange | undefined): number | null {
  return end === undefined || committed === null ? null : Math.max(0, end.high - committed);
}

/**
 * Pure. Whether the group has read up to `ends` on every partition that holds messages there; a
 * partition with nothing in it (`low = high`) needs nothing read, whether or not the group committed on it.
 */
export function hasReachedEnds(committed: readonly CommittedOffset[], ends: LogEnds): boolean {
  const at = new Map(committed.map((c) => [partitionKey(c), c.committed]));
  for (const [key, end] of ends)
    if (end.high !== end.low && lagOf(at.get(key) ?? null, end) !== 0) return false;
  return true;
}

/**
 * Pure. Messages a group has not read on `ends`, summed over their partitions: `lagOf` where the group
 * committed, the whole log (`high - low`, where a new group reading from the beginning starts) where it
 * never did.
 */
export function unreadMessages(committed: readonly CommittedOffset[], ends: LogEnds): number {
  const at = new Map(committed.map((c) => [partitionKey(c), c.committed]));
  let unread = 0;
  for (const [key, end] of ends) unread += lagOf(at.get(key) ?? null, end) ?? end.high - end.low;
  return unread;
}

/** A group's committed offsets on `topics` and those topics' log ranges, read together. */
export async function readGroupPosition(
  admin: Admin,
  groupId: string,
  topics: readonly string[],
): Promise<{ committed: CommittedOffset[]; ends: Map<string, LogRange> }> {
  const [committed, ends] = await Promise.all([
    readCommittedOffsets(admin, groupId, topics),
    readLogEnds(admin, topics),
  ]);
  return { committed, ends };
}
