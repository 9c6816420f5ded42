import net from 'node:net';
import pino from 'pino';
import { expect } from 'vitest';
import { FAST_FAIL_RETRY, startTcpProxy, test } from '@tactful/testing';
import { createKafkaClient } from './client';
import { createRenewingProducer } from './renewing-producer';

test('after a failed send the producer is replaced, and the next sends are written', async ({
  kafka,
  servers,
}) => {
  const [topic] = await kafka.createTopics(['renew'], 1);
  const proxy = await startTcpProxy(servers.kafkaBrokers[0]!);
  try {
    const client = createKafkaClient({
      brokers: [proxy.address],
      clientId: 'renew',
      retry: FAST_FAIL_RETRY,
      requestTimeoutMs: 3000,
      connectionTimeoutMs: 1000,
      socketFactory: ({ onConnect }) => net.connect({ host: '127.0.0.1', port: proxy.port }, onConnect),
    });
    const producer = await createRenewingProducer(client, pino({ level: 'silent' }), {
      retry: FAST_FAIL_RETRY,
    });
    await producer.send({ topic: topic!, acks: -1, messages: [{ key: 'k', value: 'one' }] });
    proxy.cut();
    await expect(
      producer.send({ topic: topic!, acks: -1, messages: [{ key: 'k', value: 'lost' }] }),
    ).rejects.toThrow();
    proxy.restore();
    await producer.send({ topic: topic!, acks: -1, messages: [{ key: 'k', value: 'two' }] });
    await producer.sendBatch({
      acks: -1,
      topicMessages: [{ topic: topic!, messages: [{ key: 'k', value: 'three' }] }],
    });
    const values = (await kafka.readMessages(topic!, 3)).map((m) => m.value?.toString());
    expect(values.filter((v) => v !== 'lost')).toEqual(['one', 'two', 'three']);
    await producer.disconnect();
  } finally {
    await proxy.close();
  }
});

test('logs no warning about limited retries: the producer is not an idempotent one with bounded retries', async ({
  kafka,
  servers,
}) => {
  const [topic] = await kafka.createTopics(['quiet'], 1);
  const lines: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
  const client = createKafkaClient({ brokers: servers.kafkaBrokers, clientId: 'quiet', logger });
  const producer = await createRenewingProducer(client, logger);
  await producer.send({ topic: topic!, acks: -1, messages: [{ key: 'k', value: 'v' }] });
  await producer.disconnect();
  expect(lines.filter((line) => line.includes('kafkajs'))).toEqual([]);
});
