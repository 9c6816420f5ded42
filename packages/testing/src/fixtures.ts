import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import {
  Kafka,
  logLevel,
  Partitioners,
  type Admin,
  type Consumer,
  type KafkaMessage,
  type Producer,
} from 'kafkajs';
import { inject, test as base } from 'vitest';
import { eventually } from './poll';
import type { TestServers } from './servers';

/** A fresh namespace per test: topics, consumer groups and Redis keys of one test never meet another's. */
export function randomNamespace(prefix = 't'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

export interface KafkaFixture {
  brokers: string[];
  namespace: string;
  /** A client that gives up on a dead broker within seconds, so a test fails clearly instead of hanging. */
  kafka: Kafka;
  admin: Admin;
  topic(name: string): string;
  createTopics(names: string[], partitions?: number): Promise<string[]>;
  producer(): Promise<Producer>;
  consumer(groupSuffix: string): Consumer;
  /** Reads a topic from the beginning until `count` messages arrived; fails at the deadline or on a crash. */
  readMessages(topic: string, count: number, timeoutMs?: number): Promise<KafkaMessage[]>;
}

export interface RedisFixture {
  url: string;
  redis: Redis;
  /** Prefix of every key this test may write (`<namespace>:`); they are deleted after the test. */
  prefix: string;
}

export const FAST_FAIL_RETRY = { retries: 3, initialRetryTime: 100, maxRetryTime: 1000 };

export async function readMessages(
  kafka: Kafka,
  groupId: string,
  topic: string,
  count: number,
  timeoutMs = 20_000,
  onMessage?: (message: KafkaMessage) => void,
): Promise<KafkaMessage[]> {
  const consumer = kafka.consumer({ groupId, retry: FAST_FAIL_RETRY });
  const messages: KafkaMessage[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(`read ${messages.length} of ${count} messages from ${topic} within ${timeoutMs} ms`),
          ),
        timeoutMs,
      );
      consumer.on(consumer.events.CRASH, (e) => {
        // kafkajs restarts the consumer itself after a retriable error (a coordinator still loading after
        // a broker restart): only a crash it does not recover from ends the read
        if (e.payload.restart) return;
        clearTimeout(timer);
        reject(
          new Error(`consumer of ${topic} crashed: ${e.payload.error.message}`, { cause: e.payload.error }),
        );
      });
      consumer
        .run({
          eachMessage: async ({ message }) => {
            messages.push(message);
            onMessage?.(message);
            if (messages.length >= count) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch((err: unknown) => {
          clearTimeout(timer);
          reject(err instanceof Error ? err : new Error(String(err)));
        });
    });
    return messages;
  } finally {
    await consumer.disconnect();
  }
}

export const test = base.extend<{
  servers: TestServers;
  namespace: string;
  kafka: KafkaFixture;
  redis: RedisFixture;
}>({
  // eslint-disable-next-line no-empty-pattern
  servers: async ({}, use) => {
    await use(inject('servers'));
  },
  // eslint-disable-next-line no-empty-pattern
  namespace: async ({}, use) => {
    await use(randomNamespace());
  },
  kafka: async ({ servers, namespace }, use) => {
    // A plain kafkajs client, so the fixtures need nothing of @tactful/kafka, whose own tests use them.
    const kafka = new Kafka({
      brokers: servers.kafkaBrokers,
      clientId: `test-${namespace}`,
      retry: FAST_FAIL_RETRY,
      connectionTimeout: 3000,
      requestTimeout: 10_000,
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    const created: string[] = [];
    const producers: Producer[] = [];
    const consumers: Consumer[] = [];
    const fixture: KafkaFixture = {
      brokers: servers.kafkaBrokers,
      namespace,
      kafka,
      admin,
      topic: (name) => `${namespace}.${name}`,
      async createTopics(names, partitions = 3) {
        const topics = names.map((n) => fixture.topic(n));
        await admin.createTopics({
          waitForLeaders: false,
          topics: topics.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
        });
        created.push(...topics);
        // kafkajs's own wait for leaders gives up after the client's few fast retries, which a broker busy
        // with a whole test run can outlast ("does not host this topic-partition"): wait on a deadline
        await eventually(
          `a leader for every partition of ${topics.join(', ')}`,
          async () => {
            const { topics: found } = await admin.fetchTopicMetadata({ topics });
            const ready = found.every(
              (t) => t.partitions.length === partitions && t.partitions.every((p) => p.leader >= 0),
            );
            return ready ? true : undefined;
          },
          { timeoutMs: 30_000, intervalMs: 100 },
        );
        return topics;
      },
      async producer() {
        const producer = kafka.producer({
          createPartitioner: Partitioners.DefaultPartitioner,
          retry: FAST_FAIL_RETRY,
        });
        await producer.connect();
        producers.push(producer);
        return producer;
      },
      consumer(groupSuffix) {
        const consumer = kafka.consumer({ groupId: `${namespace}.${groupSuffix}`, retry: FAST_FAIL_RETRY });
        consumers.push(consumer);
        return consumer;
      },
      readMessages: (topic, count, timeoutMs) =>
        readMessages(kafka, `${namespace}.reader-${randomBytes(3).toString('hex')}`, topic, count, timeoutMs),
    };
    await use(fixture);
    await Promise.allSettled([...producers, ...consumers].map((c) => c.disconnect()));
    // best effort: a fault-injection test may have left the broker unreachable from this client
    if (created.length > 0) await admin.deleteTopics({ topics: created }).catch(() => undefined);
    await admin.disconnect();
  },
  redis: async ({ servers, namespace }, use) => {
    const redis = new Redis(servers.redisUrl, {
      maxRetriesPerRequest: 2,
      connectTimeout: 3000,
      lazyConnect: true,
    });
    await redis.connect();
    const prefix = `${namespace}:`;
    await use({ url: servers.redisUrl, redis, prefix });
    // keys of a customer carry a hash tag ({...}) after the prefix; one SCAN pattern finds them all
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    redis.disconnect();
  },
});
