import type { KafkaMessage } from 'kafkajs';
import { describe, expect } from 'vitest';
import { eventually, test } from '@tactful/testing';
import { createLagMonitor } from './lag-monitor';

describe('createLagMonitor on a real broker', () => {
  test('a member stuck on a message is STALLED, its lag time grows, its next message is dated; then OK', async ({
    kafka,
  }) => {
    const [topic] = await kafka.createTopics(['stuck'], 1);
    const group = `${kafka.namespace}.stuck`;
    const producer = await kafka.producer();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const received: KafkaMessage[] = [];
    const consumer = kafka.consumer('stuck');
    await consumer.connect();
    await consumer.subscribe({ topic: topic!, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push(message);
        // the first message goes through and is committed; the next one blocks until the test releases it
        if (received.length > 1) await gate;
      },
    });

    await producer.send({ topic: topic!, acks: -1, messages: [{ key: 'a', value: 'first' }] });
    await eventually('the first message to be committed', async () => {
      const [t] = await kafka.admin.fetchOffsets({ groupId: group });
      return t?.partitions[0]?.offset === '1' ? true : undefined;
    });
    await producer.send({
      topic: topic!,
      acks: -1,
      messages: ['b', 'c', 'd', 'e'].map((key) => ({ key, value: key })),
    });
    const blocked = await eventually('the consumer to block on the second message', () => received[1]);

    // a clock the test moves, so the lag time is known exactly
    let clock = Date.now();
    const monitor = createLagMonitor({ admin: kafka.admin, groups: [group], now: () => clock });
    const first = await monitor.sample();
    clock += 60_000;
    const second = await monitor.sample();

    expect(first.groups[0]).toMatchObject({ groupId: group, status: 'OK', lag: 4 });
    const stalled = second.groups[0]!;
    expect(stalled).toMatchObject({ status: 'STALLED', lag: 4, samples: 2, windowMs: 60_000 });
    expect(stalled.members).toHaveLength(1);
    expect(stalled.members[0]!.assignment).toEqual([{ topic, partitions: [0] }]);
    expect(second.ok).toBe(false);
    expect(stalled.partitions[0]).toMatchObject({
      committed: 1,
      logEnd: 5,
      lag: 4,
      memberId: stalled.members[0]!.memberId,
      lagTimeMs: 60_000,
      lagTimeAtLeast: true,
      status: 'STALLED',
      // the message the consumer is stuck on, dated by the broker's time index alone
      nextMessage: { offset: 1, timestamp: Number(blocked.timestamp), exact: true },
    });
    expect(stalled.partitions[0]!.nextMessage!.ageMs).toBe(clock - Number(blocked.timestamp));

    release();
    const caughtUp = await eventually('the group to catch up', async () => {
      clock = Date.now();
      const report = await monitor.sample();
      return report.groups[0]?.lag === 0 ? report : undefined;
    });
    expect(caughtUp.ok).toBe(true);
    expect(caughtUp.groups[0]?.partitions[0]).toMatchObject({
      committed: 5,
      lag: 0,
      lagTimeMs: 0,
      nextMessage: null,
      status: 'OK',
    });
  });

  test('finds the groups of a namespace and lists its services’ groups that do not exist yet', async ({
    kafka,
  }) => {
    const [topic] = await kafka.createTopics(['found'], 1);
    const producer = await kafka.producer();
    await producer.send({ topic: topic!, acks: -1, messages: [{ key: 'a', value: 'a' }] });
    await kafka.readMessages(topic!, 1);

    const monitor = createLagMonitor({ admin: kafka.admin, namespace: kafka.namespace });
    const report = await monitor.sample();
    expect(report.absent).toEqual(
      ['orchestrator', 'sentinel', 'dispatcher'].map((s) => `${kafka.namespace}.${s}`),
    );
    expect(report.groups.map((g) => g.groupId)).toEqual([
      expect.stringMatching(new RegExp(`^${kafka.namespace}\\.reader-`)),
    ]);
    expect(report.groups[0]).toMatchObject({ status: 'OK', lag: 0, members: [] });
  });
});
