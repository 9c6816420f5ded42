import { Redis } from 'ioredis';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readMessages } from './fixtures';
import { startOwnServers, type OwnServers } from './own-servers';
import { hostPortAnswers } from './servers';

// The servers a fault test crashes are its own, and a SIGKILL and a restart keep what they acknowledged:
// a message Kafka acknowledged (acks=all) and a write Redis answered (append-only file synced per write).

describe('own servers', () => {
  let servers: OwnServers;
  beforeAll(async () => {
    servers = await startOwnServers();
  }, 90_000);
  afterAll(async () => {
    await servers?.close();
  });

  test('are not the shared ones, and keep acknowledged writes across SIGKILL and restart', async () => {
    expect(servers.kafka.brokers[0]).not.toBe('127.0.0.1:9092');
    expect(servers.redis.url).not.toBe('redis://127.0.0.1:6379');
    // a plain kafkajs client: @tactful/kafka's own tests use this package, so it imports nothing of that one
    const kafka = new Kafka({
      brokers: servers.kafka.brokers,
      clientId: 'own-servers-test',
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'kept', numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({ topic: 'kept', acks: -1, messages: [{ key: 'k', value: 'before the crash' }] });
    await producer.disconnect();
    const redis = new Redis(servers.redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    await redis.set('kept', 'before the crash');
    redis.disconnect();

    await Promise.all([servers.kafka.kill(), servers.redis.kill()]);
    expect(await hostPortAnswers(servers.kafka.brokers[0]!)).toBe(false);
    expect(await servers.redis.answers()).toBe(false);
    await Promise.all([servers.kafka.start(), servers.redis.start()]);

    const again = new Redis(servers.redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await again.connect();
    expect(await again.get('kept')).toBe('before the crash');
    again.disconnect();
    const [message] = await readMessages(kafka, 'own-servers-reader', 'kept', 1, 60_000);
    expect(message?.value?.toString()).toBe('before the crash');
  }, 120_000);
});
