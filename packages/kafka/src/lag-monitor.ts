import type { Admin } from 'kafkajs';
import { TactfulError } from '@tactful/events';
import { namespaceGroupIds, readGroupSamples } from './lag-reader';
import {
  isAbsentGroup,
  partitionKey,
  totalLag,
  type GroupMember,
  type GroupSample,
  type PartitionOffsets,
} from './lag-sample';
import { evaluateGroupStatus, type LagStatus, type StatusOptions } from './lag-status';
import { advanceLagClock, lagTimeOf, type LagClock } from './lag-time';
import {
  estimateNextMessageTimes,
  nextMessageTimeKey,
  type NextMessageCache,
  type NextMessageTime,
} from './next-message-time';

export interface PartitionLag extends PartitionOffsets {
  /** How long the partition has been behind without its committed offset moving; null when lag unknown. */
  lagTimeMs: number | null;
  /** `lagTimeMs` is a lower bound: the partition was already behind and still at the first sample. */
  lagTimeAtLeast: boolean;
  /** The next message to consume, dated from the broker's time index; null when caught up or not asked. */
  nextMessage: NextMessageTime | null;
  status: LagStatus;
  reason: string;
}

export interface GroupLag {
  groupId: string;
  state: string;
  members: GroupMember[];
  /** The sum of the partitions' known lags. */
  lag: number;
  status: LagStatus;
  reason: string;
  /** Samples the status was judged over, and the time they span. */
  samples: number;
  windowMs: number;
  partitions: PartitionLag[];
}

export interface LagReport {
  at: number;
  groups: GroupLag[];
  /** Groups asked for (or of the namespace) that Kafka does not know: no member, no committed offset. */
  absent: string[];
  /** Every group present is OK. */
  ok: boolean;
}

export type LagMonitorOptions = {
  admin: Admin;
  /** The clock of the samples (ms since the epoch). */
  now?: () => number;
  /** Samples per group the status is judged over; older ones are forgotten. Default 10, as in Burrow. */
  window?: number;
  /** Date each lagging partition's next message from the broker's time index. Default true. */
  estimateAge?: boolean;
  status?: StatusOptions;
} & (
  | { /** Exactly these groups. */ groups: readonly string[]; namespace?: string }
  | { /** The namespace's groups, found again at each sample. */ namespace: string; groups?: undefined }
);

export interface LagMonitor {
  /** Reads the groups once more and judges each over the samples it has seen. */
  sample(): Promise<LagReport>;
}

/**
 * A stateful lag tracker: keeps each group's last samples and each partition's lag clock in memory, so
 * that the status and the lag in time can say how things moved, not only where they are.
 */
export function createLagMonitor(options: LagMonitorOptions): LagMonitor {
  const { admin } = options;
  const now = options.now ?? Date.now;
  const window = Math.max(1, options.window ?? 10);
  if (options.groups === undefined && options.namespace === undefined) {
    throw new TactfulError('config.invalid', 'createLagMonitor needs groups or a namespace');
  }
  const history = new Map<string, GroupSample[]>();
  let clocks = new Map<string, LagClock>();
  let nextMessageCache: NextMessageCache = new Map();

  async function groupIds(): Promise<readonly string[]> {
    if (options.groups !== undefined) return options.groups;
    return namespaceGroupIds(admin, options.namespace);
  }

  return {
    async sample() {
      const samples = await readGroupSamples({ admin, groupIds: await groupIds(), now });
      const present = samples.filter((s) => !isAbsentGroup(s));
      const estimated =
        options.estimateAge === false
          ? { times: new Map<string, NextMessageTime | null>(), cache: nextMessageCache }
          : await estimateNextMessageTimes(admin, present, nextMessageCache);
      nextMessageCache = estimated.cache;

      const seen = new Set(samples.map((s) => s.groupId));
      for (const id of history.keys()) if (!seen.has(id)) history.delete(id);
      // clocks of partitions no longer reported are dropped: a partition that comes back starts afresh
      const nextClocks = new Map<string, LagClock>();
      const groups = present.map((sample): GroupLag => {
        const kept = [...(history.get(sample.groupId) ?? []), sample].slice(-window);
        history.set(sample.groupId, kept);
        const verdict = evaluateGroupStatus(kept, options.status);
        const partitions = sample.partitions.map((p, i): PartitionLag => {
          const key = `${sample.groupId}\u0000${partitionKey(p)}`;
          const clock = advanceLagClock(clocks.get(key), p, sample.at);
          nextClocks.set(key, clock);
          const time = lagTimeOf(clock, p, sample.at);
          const partitionVerdict = verdict.partitions[i]!;
          return {
            ...p,
            lagTimeMs: time?.ms ?? null,
            lagTimeAtLeast: time?.atLeast ?? false,
            nextMessage: estimated.times.get(nextMessageTimeKey(p) ?? '') ?? null,
            status: partitionVerdict.status,
            reason: partitionVerdict.reason,
          };
        });
        return {
          groupId: sample.groupId,
          state: sample.state,
          members: sample.members,
          lag: totalLag(sample),
          status: verdict.status,
          reason: verdict.reason,
          samples: kept.length,
          windowMs: sample.at - kept[0]!.at,
          partitions,
        };
      });
      clocks = nextClocks;
      for (const s of samples) if (isAbsentGroup(s)) history.delete(s.groupId);
      return {
        at: samples[0]?.at ?? now(),
        groups,
        absent: samples.filter(isAbsentGroup).map((s) => s.groupId),
        ok: groups.every((g) => g.status === 'OK'),
      };
    },
  };
}
