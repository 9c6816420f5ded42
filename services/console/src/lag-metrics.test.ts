import { describe, expect, it } from 'vitest';
import type { GroupLag, LagReport, PartitionLag } from '@tactful/kafka';
import { createMetrics } from '@tactful/observability';
import { recordLagMetrics } from './lag-metrics';

const partition = (over: Partial<PartitionLag>): PartitionLag => ({
  topic: 'ns.events',
  partition: 0,
  committed: 10,
  logStart: 0,
  logEnd: 10,
  lag: 0,
  memberId: null,
  lagTimeMs: 0,
  lagTimeAtLeast: false,
  nextMessage: null,
  status: 'OK',
  reason: 'caught up',
  ...over,
});

const group = (groupId: string, status: GroupLag['status'], partitions: PartitionLag[]): GroupLag => ({
  groupId,
  state: 'Stable',
  members: [],
  lag: partitions.reduce((sum, p) => sum + (p.lag ?? 0), 0),
  status,
  reason: '',
  samples: 2,
  windowMs: 5000,
  partitions,
});

const report = (groups: GroupLag[]): LagReport => ({ at: 0, groups, absent: [], ok: false });

describe('recordLagMetrics', () => {
  it('sets lag in messages and seconds per partition and a 0/1 status per group', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    recordLagMetrics(
      metrics,
      report([
        group('ns.orchestrator', 'STALLED', [
          partition({
            partition: 0,
            logEnd: 14,
            lag: 4,
            nextMessage: { offset: 10, timestamp: 0, ageMs: 2500, exact: true },
          }),
          partition({ partition: 1 }),
          partition({ partition: 2, committed: null, lag: null }),
        ]),
      ]),
    );
    const text = await metrics.registry.metrics();
    expect(text).toContain(
      'tactful_consumer_lag_messages{group="ns.orchestrator",topic="ns.events",partition="0"} 4',
    );
    expect(text).toContain(
      'tactful_consumer_lag_seconds{group="ns.orchestrator",topic="ns.events",partition="0"} 2.5',
    );
    expect(text).toContain(
      'tactful_consumer_lag_seconds{group="ns.orchestrator",topic="ns.events",partition="1"} 0',
    );
    expect(text).not.toContain('partition="2"');
    expect(text).toContain('tactful_consumer_group_status{group="ns.orchestrator",status="STALLED"} 1');
    expect(text).toContain('tactful_consumer_group_status{group="ns.orchestrator",status="OK"} 0');
  });

  it('forgets groups and partitions that are no longer reported', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    recordLagMetrics(metrics, report([group('ns.gone', 'OK', [partition({})])]));
    recordLagMetrics(metrics, report([group('ns.here', 'OK', [partition({ lag: 1, lagTimeMs: 7000 })])]));
    const text = await metrics.registry.metrics();
    expect(text).not.toContain('ns.gone');
    // no date for the message it waits on: how long the partition has been stuck stands in
    expect(text).toContain('tactful_consumer_lag_seconds{group="ns.here",topic="ns.events",partition="0"} 7');
  });
});
