import { TactfulError } from '@tactful/events';
import { partitionKey, totalLag, type GroupSample, type PartitionOffsets } from './lag-sample';

/**
 * The status of a consumer group, in the spirit of LinkedIn's Burrow: judged from how its committed
 * offsets and its lag moved over a window of samples, never from a lag threshold (a big lag that shrinks is
 * fine; a small one that never moves is not).
 */
export const LAG_STATUSES = ['OK', 'WARNING', 'STALLED', 'STOPPED'] as const;
export type LagStatus = (typeof LAG_STATUSES)[number];

/** Pure. How bad a status is: OK < WARNING < STALLED < STOPPED. */
export function statusSeverity(status: LagStatus): number {
  return LAG_STATUSES.indexOf(status);
}

export interface PartitionVerdict {
  topic: string;
  partition: number;
  status: LagStatus;
  reason: string;
}

export interface GroupVerdict {
  status: LagStatus;
  reason: string;
  partitions: PartitionVerdict[];
}

export interface StatusOptions {
  /** Samples of a lagging partition needed to tell motion; with fewer, it is OK. Default 2. */
  minSamples?: number;
}

type Verdict = { status: LagStatus; reason: string };

/**
 * Pure. One partition over the samples of the window that saw it (oldest first). Only the samples since the
 * lag was last zero count: a burst that arrived after the group caught up is not a fault yet, and a
 * partition that caught up once and then got stuck is judged on the stuck part alone (Burrow looks at the
 * whole window instead, which hides a stall for as long as a zero remains in it).
 */
function evaluatePartition(
  history: (PartitionOffsets & { at: number })[],
  hasMembers: boolean,
  minSamples: number,
): Verdict {
  const current = history.at(-1);
  if (current?.lag === null || current?.lag === undefined) {
    return { status: 'OK', reason: 'no committed offset, so no lag to judge' };
  }
  if (current.lag === 0) return { status: 'OK', reason: 'caught up' };
  if (!hasMembers) return { status: 'STOPPED', reason: `no members while lag is ${current.lag}` };

  const lastZero = history.findLastIndex((p) => p.lag === 0);
  const behind = history.slice(lastZero + 1).filter((p) => p.committed !== null && p.lag !== null);
  const unassigned = current.memberId === null ? ' (assigned to no member)' : '';
  if (behind.length < minSamples) {
    return { status: 'OK', reason: `lag ${current.lag}, too few samples to tell whether it moves` };
  }
  const offsets = behind.map((p) => p.committed ?? 0);
  const lags = behind.map((p) => p.lag ?? 0);
  const first = behind[0]!;
  if (offsets.some((o, i) => i > 0 && o < offsets[i - 1]!)) {
    return {
      status: 'WARNING',
      reason: `committed offset went back (${offsets.join(' → ')}): offsets were reset`,
    };
  }
  if (offsets.every((o) => o === offsets[0])) {
    return {
      status: 'STALLED',
      reason:
        `committed offset stuck at ${current.committed} over ${behind.length} samples ` +
        `(${current.at - first.at} ms) while lag is ${current.lag}${unassigned}`,
    };
  }
  if (lags.every((l, i) => i === 0 || l >= lags[i - 1]!)) {
    return {
      status: 'WARNING',
      reason: `committed offset moves but lag did not decrease (${lags[0]} → ${current.lag})`,
    };
  }
  return { status: 'OK', reason: `catching up (lag ${lags[0]} → ${current.lag})` };
}

/**
 * Pure. The status of one group over its samples (oldest first, all of the same group):
 *
 * - OK: no lag in the latest sample (members or not: nothing waits), or the lag is shrinking, or it appeared
 *   too recently to judge.
 * - STOPPED: no members while lag > 0: nobody will consume what waits.
 * - STALLED: members, but a lagging partition's committed offset did not move across the window.
 * - WARNING: the committed offset moves but the lag never decreased across the window (the group does not
 *   keep up), or the committed offset went backwards (offsets were reset).
 *
 * The group takes the worst status of its partitions; the reason names the partition that gave it.
 */
export function evaluateGroupStatus(
  samples: readonly GroupSample[],
  options: StatusOptions = {},
): GroupVerdict {
  const current = samples.at(-1);
  if (current === undefined) {
    throw new TactfulError('internal', 'evaluateGroupStatus needs at least one sample');
  }
  const minSamples = Math.max(1, options.minSamples ?? 2);
  const hasMembers = current.members.length > 0;
  const partitions: PartitionVerdict[] = current.partitions.map((p) => {
    const key = partitionKey(p);
    const history = samples.flatMap((s) =>
      s.groupId === current.groupId
        ? s.partitions.filter((q) => partitionKey(q) === key).map((q) => ({ ...q, at: s.at }))
        : [],
    );
    return { topic: p.topic, partition: p.partition, ...evaluatePartition(history, hasMembers, minSamples) };
  });

  const lag = totalLag(current);
  if (lag === 0) {
    const who = hasMembers ? `${current.members.length} member(s)` : 'no members';
    return { status: 'OK', reason: `caught up, ${who}`, partitions };
  }
  if (!hasMembers) {
    return { status: 'STOPPED', reason: `no members while ${lag} message(s) wait`, partitions };
  }
  const worst = partitions.reduce<PartitionVerdict | undefined>(
    (w, p) => (w === undefined || statusSeverity(p.status) > statusSeverity(w.status) ? p : w),
    undefined,
  );
  if (worst === undefined || worst.status === 'OK') {
    const biggest = current.partitions.reduce((b, p) => ((p.lag ?? 0) > (b.lag ?? 0) ? p : b));
    const why = partitions.find((v) => v.topic === biggest.topic && v.partition === biggest.partition);
    return {
      status: 'OK',
      reason: `lag ${lag}; ${biggest.topic}[${biggest.partition}]: ${why?.reason}`,
      partitions,
    };
  }
  const same = partitions.filter((p) => p.status === worst.status).length;
  const others = same > 1 ? ` (and ${same - 1} more partition(s))` : '';
  return {
    status: worst.status,
    reason: `${worst.topic}[${worst.partition}]: ${worst.reason}${others}`,
    partitions,
  };
}
