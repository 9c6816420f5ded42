/**
 * What one look at the broker says about a consumer group: the data the lag status is computed from.
 * Offsets are JavaScript numbers: Kafka's are int64, but a partition would need 2^53 messages to lose
 * precision, and numbers keep the JSON output and the arithmetic plain.
 */

/** One partition of a topic the group has committed offsets on, or is assigned. */
export interface PartitionOffsets {
  topic: string;
  partition: number;
  /** The next offset the group will read (Kafka's committed offset); null when it never committed here. */
  committed: number | null;
  /** The first offset still in the log (older ones were removed by retention); null when the topic is gone. */
  logStart: number | null;
  /** The offset the next message written will get (the log-end offset); null when the topic is gone. */
  logEnd: number | null;
  /** `logEnd - committed`, never below 0; null when either is unknown (Kafka's own tool prints `-`). */
  lag: number | null;
  /** The member this partition is assigned to; null when no member holds it (or the group has none). */
  memberId: string | null;
}

/** A member of the group, as `describeGroups` reports it. */
export interface GroupMember {
  memberId: string;
  clientId: string;
  host: string;
  /** The partitions the member holds; null when its assignment is not in the consumer protocol's format. */
  assignment: { topic: string; partitions: number[] }[] | null;
}

/** One sample of one group. */
export interface GroupSample {
  groupId: string;
  /** Milliseconds since the epoch, when the log-end offsets had been read. */
  at: number;
  /** Kafka's group state: `Stable`, `Empty`, `PreparingRebalance`, `CompletingRebalance`, `Dead`, ... */
  state: string;
  members: GroupMember[];
  partitions: PartitionOffsets[];
}

/** Pure. A group Kafka does not know: no member and no committed offset (`describeGroups` says `Dead`). */
export function isAbsentGroup(sample: GroupSample): boolean {
  return sample.members.length === 0 && sample.partitions.every((p) => p.committed === null);
}

/** Pure. The sum of the known lags of a sample. */
export function totalLag(sample: GroupSample): number {
  return sample.partitions.reduce((sum, p) => sum + (p.lag ?? 0), 0);
}

/** Pure. The key of one partition of one group, for maps that follow it from sample to sample. */
export function partitionKey(p: { topic: string; partition: number }): string {
  return `${p.topic}\u0000${p.partition}`;
}
