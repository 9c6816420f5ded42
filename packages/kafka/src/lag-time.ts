import type { PartitionOffsets } from './lag-sample';

/**
 * Lag in time, the way a tracker can know it without reading the topic: how long a partition has been
 * behind without its committed offset moving. It is a clock per group and partition, advanced by each
 * sample; kept apart from the status window so that a long stall stays measured after the samples that
 * began it have left the window.
 */
export interface LagClock {
  committed: number | null;
  /** When the partition was last seen moving or not behind (ms since the epoch). */
  since: number;
  /** True while no sample has shown it moving or caught up: the real time is longer than measured. */
  atLeast: boolean;
}

export interface LagTime {
  ms: number;
  /** The partition was already behind and still at its first sample: `ms` is a lower bound (`≥`). */
  atLeast: boolean;
}

/**
 * Pure. The clock after one more sample taken at `at`. Moving offsets and a zero lag restart it; the first
 * sample starts it at `at` as a lower bound. Precision is one sampling interval: a move is dated when a
 * sample first sees it.
 */
export function advanceLagClock(
  previous: LagClock | undefined,
  sample: Pick<PartitionOffsets, 'committed' | 'lag'>,
  at: number,
): LagClock {
  const { committed, lag } = sample;
  if (previous === undefined) return { committed, since: at, atLeast: lag !== null && lag > 0 };
  if (lag === null || lag === 0 || committed !== previous.committed) {
    return { committed, since: at, atLeast: false };
  }
  return { ...previous, committed };
}

/** Pure. The partition's lag in time at `at`: 0 when caught up, null when its lag is unknown. */
export function lagTimeOf(
  clock: LagClock,
  sample: Pick<PartitionOffsets, 'lag'>,
  at: number,
): LagTime | null {
  if (sample.lag === null) return null;
  if (sample.lag === 0) return { ms: 0, atLeast: false };
  return { ms: Math.max(0, at - clock.since), atLeast: clock.atLeast };
}
