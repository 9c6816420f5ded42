import type { GroupLag, PartitionLag } from './lag-monitor';

/** Whether a consumer group has read everything older than a bound, by one lag sample. */
export interface GroupCurrency {
  /** Members, and no partition waiting on a message older than the bound. */
  readonly current: boolean;
  /** How far behind in time the worst partition is (the age of its next message); null when unknown. */
  readonly behindMs: number | null;
  /** Why, for people: a readiness detail, a log line, the console. */
  readonly detail: string;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** How long a partition's next message has waited; 0 when nothing waits, null when it cannot be told. */
function waitedMs(p: PartitionLag): number | null {
  if (p.lag === 0) return 0;
  // never committed here: nothing waits only when the log holds nothing (or retention removed it all)
  if (p.committed === null)
    return p.logEnd !== null && p.logStart !== null && p.logEnd <= p.logStart ? 0 : null;
  if (p.lag === null) return null;
  return p.nextMessage?.ageMs ?? p.lagTimeMs;
}

/**
 * Pure. Whether `group` (one group of a lag report; undefined when Kafka does not know it) has read every
 * message older than `maxLagMs`: it has members, and the next message of each of its partitions is at most
 * that old (`nextMessage.ageMs`, else how long the partition has not moved). A partition whose wait
 * cannot be told (never committed on a log that holds messages, a topic gone) counts as behind: the
 * answer is for whoever must not act on stale information, so an unknown is never taken as current.
 */
export function groupCurrency(group: GroupLag | undefined, groupId: string, maxLagMs: number): GroupCurrency {
  if (group === undefined)
    return {
      current: false,
      behindMs: null,
      detail: `${groupId} is unknown to Kafka: it never ran, or not yet`,
    };
  if (group.members.length === 0)
    return { current: false, behindMs: null, detail: `${groupId} has no members (${group.state})` };
  let worst = 0;
  for (const p of group.partitions) {
    const waited = waitedMs(p);
    if (waited === null)
      return {
        current: false,
        behindMs: null,
        detail: `${groupId} has not read ${p.topic}[${p.partition}] yet (behind by an unknown time)`,
      };
    worst = Math.max(worst, waited);
  }
  const current = worst <= maxLagMs;
  return {
    current,
    behindMs: worst,
    detail: `${groupId} is ${seconds(worst)} behind (bound ${seconds(maxLagMs)})${current ? '' : ': too far'}`,
  };
}
