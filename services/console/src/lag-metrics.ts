import { LAG_STATUSES, type LagReport } from '@tactful/kafka';
import type { TactfulMetrics } from '@tactful/observability';

export type LagMetrics = Pick<TactfulMetrics, 'consumerLag' | 'consumerLagSeconds' | 'consumerGroupStatus'>;

/**
 * Sets the lag gauges from one report. The gauges are cleared first, in the same synchronous block, so a
 * group or partition that went away stops being reported instead of keeping its last value forever, and
 * a scrape never sees a half-written sample. A partition whose lag is unknown (the group never committed
 * there) has no series: no number would be honest.
 */
export function recordLagMetrics(metrics: LagMetrics, report: LagReport): void {
  metrics.consumerLag.reset();
  metrics.consumerLagSeconds.reset();
  metrics.consumerGroupStatus.reset();
  for (const group of report.groups) {
    for (const status of LAG_STATUSES)
      metrics.consumerGroupStatus.set({ group: group.groupId, status }, group.status === status ? 1 : 0);
    for (const p of group.partitions) {
      if (p.lag === null) continue;
      const labels = { group: group.groupId, topic: p.topic, partition: String(p.partition) };
      metrics.consumerLag.set(labels, p.lag);
      // the age of the message it waits on; when that could not be dated, how long it has been stuck
      const waitedMs = p.lag === 0 ? 0 : (p.nextMessage?.ageMs ?? p.lagTimeMs);
      if (waitedMs !== null) metrics.consumerLagSeconds.set(labels, waitedMs / 1000);
    }
  }
}
