import { describe, expect, it } from 'vitest';
import { groupCurrency } from './group-currency';
import type { GroupLag, PartitionLag } from './lag-monitor';

const GROUP = 'tactful.sentinel';

function partition(parts: Partial<PartitionLag> = {}): PartitionLag {
  return {
    topic: 'tactful.events',
    partition: 0,
    committed: 10,
    logStart: 0,
    logEnd: 10,
    lag: 0,
    memberId: 'm-1',
    lagTimeMs: null,
    lagTimeAtLeast: false,
    nextMessage: null,
    status: 'OK',
    reason: '',
    ...parts,
  };
}

function group(partitions: PartitionLag[], members = 1): GroupLag {
  return {
    groupId: GROUP,
    state: members > 0 ? 'Stable' : 'Empty',
    members: Array.from({ length: members }, (_, i) => ({
      memberId: `m-${i}`,
      clientId: 'c',
      host: 'h',
      assignment: [],
    })),
    lag: partitions.reduce((sum, p) => sum + (p.lag ?? 0), 0),
    status: 'OK',
    reason: '',
    samples: 1,
    windowMs: 0,
    partitions,
  };
}

const aged = (ageMs: number) => ({ offset: 10, timestamp: 0, ageMs, exact: true });

describe('groupCurrency', () => {
  it('is current when every partition is caught up, or waits on a message younger than the bound', () => {
    expect(groupCurrency(group([partition()]), GROUP, 5000)).toMatchObject({ current: true, behindMs: 0 });
    const young = partition({ committed: 8, lag: 2, nextMessage: aged(4999), lagTimeMs: 100 });
    expect(groupCurrency(group([partition(), young]), GROUP, 5000)).toEqual({
      current: true,
      behindMs: 4999,
      detail: 'tactful.sentinel is 5.0 s behind (bound 5.0 s)',
    });
  });

  it('is not current when the oldest unread message is older than the bound', () => {
    const old = partition({ partition: 1, committed: 8, lag: 2, nextMessage: aged(12_000) });
    expect(groupCurrency(group([partition(), old]), GROUP, 5000)).toEqual({
      current: false,
      behindMs: 12_000,
      detail: 'tactful.sentinel is 12.0 s behind (bound 5.0 s): too far',
    });
  });

  it('falls back on how long a lagging partition has not moved when its next message cannot be dated', () => {
    const stuck = partition({ committed: 8, lag: 2, nextMessage: null, lagTimeMs: 9000 });
    expect(groupCurrency(group([stuck]), GROUP, 5000)).toMatchObject({ current: false, behindMs: 9000 });
  });

  it.each([
    ['Kafka does not know the group', undefined, /unknown to Kafka/],
    ['the group has no members', group([partition()], 0), /has no members \(Empty\)/],
    [
      'a partition was never read though its log holds messages',
      group([partition({ committed: null, lag: null })]),
      /has not read tactful.events\[0\] yet/,
    ],
    [
      'a lagging partition cannot be dated at all',
      group([partition({ committed: 8, lag: 2, nextMessage: null, lagTimeMs: null })]),
      /behind by an unknown time/,
    ],
    ['the topic is gone', group([partition({ logEnd: null, logStart: null, lag: null })]), /has not read/],
  ])('is not current when %s', (_what, lag, detail) => {
    const verdict = groupCurrency(lag, GROUP, 5000);
    expect(verdict.current).toBe(false);
    expect(verdict.behindMs).toBeNull();
    expect(verdict.detail).toMatch(detail);
  });

  it('takes a partition never committed on an empty log as caught up', () => {
    const empty = partition({ committed: null, lag: null, logStart: 4, logEnd: 4 });
    expect(groupCurrency(group([empty]), GROUP, 5000).current).toBe(true);
  });
});
