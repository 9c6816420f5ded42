import { describe, expect } from 'vitest';
import { createLogger } from '@tactful/observability';
import { eventually, test } from '@tactful/testing';
import { deadLetterEntry, type DeadLetterEntry } from './tail-records';
import { startTopicTail, type TopicTail } from './topic-tail';

const silent = createLogger({ level: 'silent', name: 'test' });
const FAST = { sessionTimeout: 10_000, heartbeatInterval: 500, maxWaitTimeInMs: 50 };

describe('startTopicTail on a real broker', () => {
  test('reads only the last messages of each partition, and reads them again after a restart', async ({
    kafka,
  }) => {
    const [topic] = await kafka.createTopics(['tail'], 2);
    const producer = await kafka.producer();
    for (const partition of [0, 1])
      await producer.send({
        topic: topic!,
        acks: -1,
        messages: Array.from({ length: 20 }, (_, i) => ({ partition, value: `p${partition}-${i}` })),
      });

    const start = async (seen: string[]): Promise<TopicTail> =>
      startTopicTail({
        kafka: kafka.kafka,
        admin: kafka.admin,
        groupId: `${kafka.namespace}.console`,
        topics: { [topic!]: 3 },
        onMessage: (_topic, _partition, message) => seen.push(message.value!.toString()),
        logger: silent,
        consumerConfig: FAST,
      });
    const tail = ['p0-17', 'p0-18', 'p0-19', 'p1-17', 'p1-18', 'p1-19'];

    const first: string[] = [];
    const one = await start(first);
    expect(one.isReady()).toBe(true);
    await eventually('the last three of each partition', () => (first.length >= 6 ? true : undefined));
    await producer.send({ topic: topic!, acks: -1, messages: [{ partition: 0, value: 'p0-20' }] });
    await eventually('a new message', () => (first.includes('p0-20') ? true : undefined));
    expect(first.sort()).toEqual([...tail, 'p0-20'].sort());
    await one.stop();
    expect(await one.stopped).toBeUndefined();

    // its offsets are committed at the end, yet a restart shows the tail again, not nothing
    const second: string[] = [];
    const two = await start(second);
    await eventually('the tail again', () => (second.length >= 6 ? true : undefined));
    expect(second.sort()).toEqual(['p0-18', 'p0-19', 'p0-20', 'p1-17', 'p1-18', 'p1-19']);
    await two.stop();
  });

  test('a record the view cannot take is skipped, and the tail goes on', async ({ kafka }) => {
    const [dlq] = await kafka.createTopics(['dlq'], 1);
    const producer = await kafka.producer();
    // a timestamp past what a Date can hold: reading it as a dead-letter entry throws a RangeError
    await producer.send({
      topic: dlq!,
      acks: -1,
      messages: [
        { key: 'odd', value: 'x', timestamp: '9000000000000000' },
        { key: 'fine', value: 'y', headers: { 'tactful-error': 'invalid_json' } },
      ],
    });
    const seen: DeadLetterEntry[] = [];
    const tail = await startTopicTail({
      kafka: kafka.kafka,
      admin: kafka.admin,
      groupId: `${kafka.namespace}.console`,
      topics: { [dlq!]: 10 },
      onMessage: (_topic, _partition, message) => seen.push(deadLetterEntry(message)),
      logger: silent,
      consumerConfig: FAST,
    });
    await eventually('the record after the odd one', () => (seen.length > 0 ? true : undefined));
    expect(seen.map((entry) => [entry.key, entry.reason])).toEqual([['fine', 'invalid_json']]);
    expect(tail.isReady()).toBe(true);
    await tail.stop();
    expect(await tail.stopped).toBeUndefined();
  });
});
