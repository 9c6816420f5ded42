import { describe, expect, it } from 'vitest';
import type { GroupLag, LagReport, PartitionLag } from '@tactful/kafka';
import { formatDuration, formatTable, lagExitCode, lagJson, renderLagText, type LagView } from './lag-render';

const AT = Date.UTC(2026, 10, 23, 10, 0, 0);

function partition(over: Partial<PartitionLag>): PartitionLag {
  return {
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
  };
}

function group(over: Partial<GroupLag>): GroupLag {
  return {
    groupId: 'ns.orchestrator',
    state: 'Stable',
    members: [{ memberId: 'm-1', clientId: 'orchestrator', host: '/127.0.0.1', assignment: [] }],
    lag: 0,
    status: 'OK',
    reason: 'caught up, 1 member(s)',
    samples: 2,
    windowMs: 1000,
    partitions: [partition({})],
    ...over,
  };
}

function view(groups: GroupLag[], extra: Partial<LagView> = {}): LagView {
  const report: LagReport = { at: AT, groups, absent: [], ok: groups.every((g) => g.status === 'OK') };
  return { namespace: 'ns', report, missing: [], ...extra };
}

describe('tactful lag output', () => {
  it.each([
    [0, '0s'],
    [850, '850ms'],
    [12_400, '12.4s'],
    [185_000, '3m05s'],
    [7_380_000, '2h03m'],
    [352_800_000, '4d02h'],
  ])('formats %i ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('pads columns to the widest cell and right-aligns numbers', () => {
    expect(
      formatTable(
        [
          ['A', 'N'],
          ['long', '12'],
          ['x', '3'],
        ],
        new Set([1]),
      ),
    ).toEqual(['A      N', 'long  12', 'x      3']);
  });

  it('exits 0 only when every group is OK and every --group exists', () => {
    expect(lagExitCode(view([group({})]))).toBe(0);
    expect(lagExitCode(view([group({ status: 'STALLED' })]))).toBe(1);
    expect(lagExitCode(view([group({})], { missing: ['ns.typo'] }))).toBe(1);
    expect(lagJson(view([group({})], { missing: ['ns.typo'] }))).toMatchObject({
      ok: false,
      missing: ['ns.typo'],
    });
  });

  it('shows one row per partition, lower bounds with ≥, and each group’s verdict', () => {
    const stopped = group({
      groupId: 'ns.dispatcher',
      state: 'Empty',
      members: [],
      lag: 7,
      status: 'STOPPED',
      reason: 'no members while 7 message(s) wait',
      partitions: [
        partition({
          topic: 'ns.commands',
          committed: 3,
          logEnd: 10,
          lag: 7,
          lagTimeMs: 65_000,
          lagTimeAtLeast: true,
          nextMessage: { offset: 3, timestamp: AT - 7_200_000, ageMs: 7_200_000, exact: false },
          status: 'STOPPED',
        }),
        partition({ topic: 'ns.commands', partition: 1, committed: null, lag: null, lagTimeMs: null }),
      ],
    });
    const text = renderLagText({
      ...view([group({}), stopped]),
      report: { at: AT, groups: [group({}), stopped], absent: ['ns.sentinel'], ok: false },
    });
    expect(text.split('\n')).toEqual([
      'namespace ns · 2 sample(s) over 1.0s · 2026-11-23T10:00:00.000Z',
      '',
      'GROUP            TOPIC        PARTITION  COMMITTED  LOG-END  LAG  LAG-TIME  OLDEST  STATUS   MEMBERS',
      'ns.orchestrator  ns.events            0         10       10    0  0s        -       OK       1',
      'ns.dispatcher    ns.commands          0          3       10    7  ≥1m05s    ≥2h00m  STOPPED  0',
      'ns.dispatcher    ns.commands          1          -       10    -  -         -       STOPPED  0',
      '',
      'OK       ns.orchestrator  Stable, 1 member(s), lag 0: caught up, 1 member(s)',
      'STOPPED  ns.dispatcher    Empty, 0 member(s), lag 7: no members while 7 message(s) wait',
      'absent   ns.sentinel (no members, no committed offsets)',
    ]);
  });
});
