import { describe, expect } from 'vitest';
import { eventually, test } from '@tactful/testing';
import {
  hasReachedEnds,
  lagOf,
  readCommittedOffsets,
  readGroupPosition,
  readLogEnds,
  unreadMessages,
} from './group-offsets';
import { partitionKey } from './lag-sample';
import { readGroupSamples } from './lag-reader';

describe('a group’s committed offsets against the log ends, on a real broker', () => {
  test('reads both, and the lag and the barrier agree with what was written and committed', async ({
    kafka,
  }) => {
    const [topic] = await kafka.createTopics(['positions'], 2);
    const groupId = `${kafka.namespace}.positions`;
    const producer = await kafka.producer();
    await producer.send({
      topic: topic!,
      acks: -1,
      messages: ['a', 'b', 'c'].map((value) => ({ value, partition: 0 })),
    });
    const p0 = partitionKey({ topic: topic!, partition: 0 });
    const p1 = partitionKey({ topic: topic!, partition: 1 });

    const ends = await eventually('the log ends', async () => {
      const read = await readLogEnds(kafka.admin, [topic!]);
      return read.get(p0)?.high === 3 ? read : undefined;
    });
    expect(ends.get(p0)).toEqual({ low: 0, high: 3 });
    expect(ends.get(p1)).toEqual({ low: 0, high: 0 });

    // never committed: every partition of the topic is listed, with null
    const none = await readCommittedOffsets(kafka.admin, groupId, [topic!]);
    expect(none.sort((a, b) => a.partition - b.partition)).toEqual([
      { topic, partition: 0, committed: null },
      { topic, partition: 1, committed: null },
    ]);
    expect(lagOf(null, ends.get(p0))).toBeNull();
    expect(hasReachedEnds(none, ends)).toBe(false);
    const fresh = await readGroupPosition(kafka.admin, groupId, [topic!]);
    expect(fresh.ends).toEqual(ends);
    expect(unreadMessages(fresh.committed, fresh.ends)).toBe(3);

    const commit = (offset: number) =>
      kafka.admin.setOffsets({
        groupId,
        topic: topic!,
        partitions: [{ partition: 0, offset: String(offset) }],
      });

    await commit(2);
    const behind = await readCommittedOffsets(kafka.admin, groupId, [topic!]);
    expect(behind.find((c) => c.partition === 0)?.committed).toBe(2);
    expect(lagOf(2, ends.get(p0))).toBe(1);
    expect(hasReachedEnds(behind, ends)).toBe(false);
    const position = await readGroupPosition(kafka.admin, groupId, [topic!]);
    expect(unreadMessages(position.committed, position.ends)).toBe(1);
    expect(hasReachedEnds(position.committed, position.ends)).toBe(false);
    const [sample] = await readGroupSamples({ admin: kafka.admin, groupIds: [groupId], now: () => 0 });
    expect(sample?.partitions).toMatchObject([{ topic, partition: 0, committed: 2, logEnd: 3, lag: 1 }]);

    // read to the end on the partition with messages; the empty one needs nothing, committed or not
    await commit(3);
    const all = await readCommittedOffsets(kafka.admin, groupId);
    expect(all).toEqual([{ topic, partition: 0, committed: 3 }]);
    expect(hasReachedEnds(all, ends)).toBe(true);
    const read = await readGroupPosition(kafka.admin, groupId, [topic!]);
    expect(unreadMessages(read.committed, read.ends)).toBe(0);
    expect(hasReachedEnds(read.committed, read.ends)).toBe(true);
    const [caughtUp] = await readGroupSamples({ admin: kafka.admin, groupIds: [groupId], now: () => 0 });
    expect(caughtUp?.partitions).toMatchObject([{ partition: 0, committed: 3, logEnd: 3, lag: 0 }]);

    await kafka.admin.deleteGroups([groupId]);
  });
});
