import { describe, expect, it } from 'vitest';
import type { GroupLag, LagReport } from '@tactful/kafka';
import { createLagHistory } from './lag-history';

function report(at: number, lags: Record<string, number[]>): LagReport {
  const groups = Object.entries(lags).map(([groupId, partitions]): GroupLag => ({
    groupId,
    state: 'Stable',
    members: [],
    lag: partitions.reduce((a, b) => a + b, 0),
    status: 'OK',
    reason: 'caught up',
    samples: 1,
    windowMs: 0,
    partitions: partitions.map((lag, partition) => ({
      topic: 'ns.events',
      partition,
      committed: 10,
      logStart: 0,
      logEnd: 10 + lag,
      lag,
      memberId: null,
      lagTimeMs: 0,
      lagTimeAtLeast: false,
      nextMessage: null,
      status: 'OK',
      reason: 'caught up',
    })),
  }));
  return { at, groups, absent: [], ok: true };
}

describe('createLagHistory', () => {
  it('keeps the newest points up to its capacity, oldest first', () => {
    const history = createLagHistory(3);
    for (let i = 1; i <= 5; i++) history.add(report(i * 1000, { 'ns.orchestrator': [i, 0] }));
    expect(history.points().map((p) => p.at)).toEqual([3000, 4000, 5000]);
    expect(history.points()[2]?.groups['ns.orchestrator']).toEqual({
      lag: 5,
      status: 'OK',
      partitions: { 'ns.events[0]': 5, 'ns.events[1]': 0 },
    });
  });

  it('lays the points out as columns, null where a group was not reported', () => {
    const history = createLagHistory(10);
    history.add(report(1000, { a: [1] }));
    history.add(report(2000, { a: [2], b: [7, 1] }));
    history.add(report(3000, { b: [0, 0] }));
    expect(history.series()).toEqual({
      at: [1000, 2000, 3000],
      groups: {
        a: { total: [1, 2, null], partitions: { 'ns.events[0]': [1, 2, null] } },
        b: {
          total: [null, 8, 0],
          partitions: { 'ns.events[0]': [null, 7, 0], 'ns.events[1]': [null, 1, 0] },
        },
      },
    });
  });
});
