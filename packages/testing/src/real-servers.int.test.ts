import { describe, expect } from 'vitest';
import { test } from './fixtures';

describe('the real servers the integration tests run against', () => {
  test('a message produced to Kafka is consumed back, in order per key', async ({ kafka, servers }) => {
    console.log(
      `Kafka under test: ${servers.kafkaVersion} at ${servers.kafkaBrokers.join(',')} (${servers.origin})`,
    );
    const [topic] = await kafka.createTopics(['events'], 3);
    const producer = await kafka.producer();
    const sent = Array.from({ length: 30 }, (_, i) => ({ key: `cust-${i % 3}`, value: `event-${i}` }));
    await producer.send({ topic: topic!, acks: -1, messages: sent });

    const received = await kafka.readMessages(topic!, sent.length);
    expect(received.map((m) => m.value?.toString()).sort()).toEqual(sent.map((m) => m.value).sort());
    // one key lives on one partition, so its messages come back in the order they were sent
    for (const key of ['cust-0', 'cust-1', 'cust-2']) {
      const order = received.filter((m) => m.key?.toString() === key).map((m) => m.value?.toString());
      expect(order).toEqual(sent.filter((m) => m.key === key).map((m) => m.value));
    }
  });

  test('the broker reports its cluster and the topic metadata we asked for', async ({ kafka }) => {
    const [topic] = await kafka.createTopics(['meta'], 4);
    const cluster = await kafka.admin.describeCluster();
    expect(cluster.brokers.length).toBeGreaterThan(0);
    const meta = await kafka.admin.fetchTopicMetadata({ topics: [topic!] });
    expect(meta.topics[0]?.partitions).toHaveLength(4);
  });

  test('Redis stores and atomically updates values under the test namespace', async ({ redis }) => {
    const key = `${redis.prefix}{cust-42}:counter`;
    await redis.redis.set(key, '1');
    const results = await redis.redis.multi().incr(key).incr(key).exec();
    expect(results?.map(([err]) => err)).toEqual([null, null]);
    expect(await redis.redis.get(key)).toBe('3');
    const info = await redis.redis.info('server');
    const version = /redis_version:(\S+)/.exec(info)?.[1];
    console.log(`Redis under test: ${version}`);
    expect(version).toBeTruthy();
  });
});
