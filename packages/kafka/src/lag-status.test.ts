import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GroupSample } from './lag-sample';
import { evaluateGroupStatus, LAG_STATUSES, statusSeverity, type LagStatus } from './lag-status';

/** One partition in one sample: [committed, log end]; null committed = never committed. */
type Cell = [committed: number | null, logEnd: number];

/** Samples one second apart of a group reading `topic`; `rows[i][p]` is partition p in sample i. */
function samples(members: number | number[], rows: Cell[][]): GroupSample[] {
  return rows.map((row, i) => {
    const count = Array.isArray(members) ? (members[i] ?? 0) : members;
    const memberList = Array.from({ length: count }, (_, m) => ({
      memberId: `m-${m}`,
      clientId: 'test',
      host: '/127.0.0.1',
      assignment: [{ topic: 'topic', partitions: row.map((_, p) => p) }],
    }));
    return {
      groupId: 'ns.group',
      at: 1_000_000 + i * 1000,
      state: count > 0 ? 'Stable' : 'Empty',
      members: memberList,
      partitions: row.map(([committed, logEnd], partition) => ({
        topic: 'topic',
        partition,
        committed,
        logStart: 0,
        logEnd,
        lag: committed === null ? null : Math.max(0, logEnd - committed),
        memberId: count > 0 ? 'm-0' : null,
      })),
    };
  });
}

describe('evaluateGroupStatus', () => {
  const cases: {
    name: string;
    members: number | number[];
    rows: Cell[][];
    status: LagStatus;
    reason: RegExp;
  }[] = [
    {
      name: 'caught up with members',
      members: 1,
      rows: [[[5, 5]], [[9, 9]]],
      status: 'OK',
      reason: /caught up/,
    },
    {
      name: 'caught up with no members (nothing waits, so nothing to page about)',
      members: 0,
      rows: [[[5, 5]], [[5, 5]]],
      status: 'OK',
      reason: /caught up, no members/,
    },
    {
      name: 'no members while lag > 0',
      members: 0,
      rows: [[[5, 5]], [[5, 25]]],
      status: 'STOPPED',
      reason: /no members while 20 message/,
    },
    {
      name: 'members left within the window',
      members: [1, 0],
      rows: [[[5, 9]], [[7, 9]]],
      status: 'STOPPED',
      reason: /no members/,
    },
    {
      name: 'growing lag while offsets move',
      members: 1,
      rows: [[[10, 20]], [[12, 25]], [[14, 31]]],
      status: 'WARNING',
      reason: /did not decrease \(10 → 17\)/,
    },
    {
      name: 'flat non-zero committed offsets',
      members: 1,
      rows: [[[10, 20]], [[10, 20]], [[10, 20]]],
      status: 'STALLED',
      reason: /stuck at 10 over 3 samples \(2000 ms\) while lag is 10/,
    },
    {
      name: 'flat committed offsets while lag grows',
      members: 1,
      rows: [[[10, 20]], [[10, 30]]],
      status: 'STALLED',
      reason: /stuck at 10/,
    },
    {
      name: 'offsets moving but lag not decreasing',
      members: 1,
      rows: [[[10, 20]], [[15, 25]], [[20, 30]]],
      status: 'WARNING',
      reason: /moves but lag did not decrease/,
    },
    {
      name: 'offsets moving and lag decreasing',
      members: 1,
      rows: [[[10, 40]], [[20, 40]], [[30, 41]]],
      status: 'OK',
      reason: /catching up \(lag 30 → 11\)/,
    },
    {
      name: 'lag that decreased once in the window is not a warning',
      members: 1,
      rows: [[[10, 40]], [[20, 45]], [[30, 60]]],
      status: 'OK',
      reason: /catching up/,
    },
    {
      name: 'one sample cannot tell motion',
      members: 1,
      rows: [[[10, 20]]],
      status: 'OK',
      reason: /too few samples/,
    },
    {
      name: 'a burst that arrived after the group caught up',
      members: 1,
      rows: [[[10, 10]], [[10, 15]]],
      status: 'OK',
      reason: /too few samples/,
    },
    {
      name: 'a stall after catching up is judged on the stuck samples alone',
      members: 1,
      rows: [[[10, 10]], [[10, 15]], [[10, 15]], [[10, 16]]],
      status: 'STALLED',
      reason: /over 3 samples/,
    },
    {
      name: 'committed offsets going back (a reset)',
      members: 1,
      rows: [[[10, 20]], [[0, 20]]],
      status: 'WARNING',
      reason: /went back \(10 → 0\)/,
    },
    {
      name: 'the worst partition decides',
      members: 1,
      rows: [
        [
          [10, 20],
          [5, 5],
          [1, 9],
        ],
        [
          [10, 20],
          [6, 6],
          [3, 9],
        ],
      ],
      status: 'STALLED',
      reason: /^topic\[0\]: committed offset stuck/,
    },
    {
      name: 'a partition never committed has no lag to judge',
      members: 1,
      rows: [[[null, 20]], [[null, 30]]],
      status: 'OK',
      reason: /caught up/,
    },
  ];

  it.each(cases)('$name → $status', ({ members, rows, status, reason }) => {
    const verdict = evaluateGroupStatus(samples(members, rows));
    expect(verdict.status).toBe(status);
    expect(verdict.reason).toMatch(reason);
  });

  it('gives a status per partition', () => {
    const verdict = evaluateGroupStatus(
      samples(1, [
        [
          [10, 20],
          [5, 5],
          [1, 9],
        ],
        [
          [10, 20],
          [6, 6],
          [3, 9],
        ],
      ]),
    );
    expect(verdict.partitions.map((p) => p.status)).toEqual(['STALLED', 'OK', 'OK']);
  });

  it('needs more samples when told to', () => {
    const rows: Cell[][] = [[[10, 20]], [[10, 20]]];
    expect(evaluateGroupStatus(samples(1, rows), { minSamples: 3 }).status).toBe('OK');
    expect(evaluateGroupStatus(samples(1, [...rows, [[10, 20]]]), { minSamples: 3 }).status).toBe('STALLED');
  });

  it('refuses an empty window', () => {
    expect(() => evaluateGroupStatus([])).toThrow(/at least one sample/);
  });

  const histories = fc
    .record({
      partitions: fc.integer({ min: 1, max: 3 }),
      length: fc.integer({ min: 1, max: 6 }),
      members: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 6, maxLength: 6 }),
      seed: fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 })), {
        minLength: 18,
        maxLength: 18,
      }),
    })
    .map(({ partitions, length, members, seed }) =>
      samples(
        members,
        Array.from({ length }, (_, i) =>
          Array.from({ length: partitions }, (_, p): Cell => {
            const [a, b] = seed[i * 3 + p]!;
            return [Math.min(a, b), Math.max(a, b)];
          }),
        ),
      ),
    );

  it('for every history: no lag is OK, lag without members is STOPPED, else the worst partition', () => {
    fc.assert(
      fc.property(histories, (history) => {
        const verdict = evaluateGroupStatus(history);
        const current = history.at(-1)!;
        const lag = current.partitions.reduce((s, p) => s + (p.lag ?? 0), 0);
        expect(LAG_STATUSES).toContain(verdict.status);
        if (lag === 0) expect(verdict.status).toBe('OK');
        else if (current.members.length === 0) expect(verdict.status).toBe('STOPPED');
        else
          expect(statusSeverity(verdict.status)).toBe(
            Math.max(...verdict.partitions.map((p) => statusSeverity(p.status))),
          );
        for (const [i, p] of verdict.partitions.entries())
          if (current.partitions[i]?.lag === 0) expect(p.status).toBe('OK');
      }),
    );
  });
});
