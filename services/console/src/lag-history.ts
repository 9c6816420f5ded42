import type { LagReport, LagStatus } from '@tactful/kafka';

/** One lag sample as the chart keeps it: each group's total and each of its partitions' lags. */
export interface LagPoint {
  at: number;
  groups: Record<string, { lag: number; status: LagStatus; partitions: Record<string, number | null> }>;
}

/** The chart's data, by column: one time axis, and one value per time for each group and partition. */
export interface LagSeries {
  at: number[];
  groups: Record<string, { total: (number | null)[]; partitions: Record<string, (number | null)[]> }>;
}

export interface LagHistory {
  add(report: LagReport): void;
  /** The points kept, oldest first. */
  points(): readonly LagPoint[];
  /** The points as columns; a value is null where the group or partition was not reported. */
  series(): LagSeries;
}

/** Pure. The label of a partition in the chart and the tables: `topic[3]`. */
export function partitionLabel(p: { topic: string; partition: number }): string {
  return `${p.topic}[${p.partition}]`;
}

/** Pure. What the chart keeps of one report. */
export function toLagPoint(report: LagReport): LagPoint {
  const groups: LagPoint['groups'] = {};
  for (const g of report.groups) {
    const partitions: Record<string, number | null> = {};
    for (const p of g.partitions) partitions[partitionLabel(p)] = p.lag;
    groups[g.groupId] = { lag: g.lag, status: g.status, partitions };
  }
  return { at: report.at, groups };
}

/**
 * The last `capacity` lag samples in memory (720 at one per 5 s: an hour), for the console's chart. A ring
 * buffer: memory stays bounded however long the process runs, and a restart starts an empty chart.
 */
export function createLagHistory(capacity: number): LagHistory {
  const ring: LagPoint[] = [];
  let next = 0;
  const points = (): LagPoint[] =>
    ring.length < capacity ? [...ring] : [...ring.slice(next), ...ring.slice(0, next)];
  return {
    add(report) {
      const point = toLagPoint(report);
      if (ring.length < capacity) ring.push(point);
      else ring[next] = point;
      next = (next + 1) % capacity;
    },
    points,
    series() {
      const kept = points();
      const series: LagSeries = { at: kept.map((p) => p.at), groups: {} };
      kept.forEach((point, i) => {
        for (const [groupId, group] of Object.entries(point.groups)) {
          const column = (series.groups[groupId] ??= {
            total: new Array<null>(kept.length).fill(null),
            partitions: {},
          });
          column.total[i] = group.lag;
          for (const [label, lag] of Object.entries(group.partitions)) {
            const values = (column.partitions[label] ??= new Array<null>(kept.length).fill(null));
            values[i] = lag;
          }
        }
      });
      return series;
    },
  };
}
