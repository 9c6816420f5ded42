import net from 'node:net';
import { Partitioners } from 'kafkajs';
import { afterEach, describe, expect } from 'vitest';
import { createMetrics } from '@tactful/observability';
import { eventually, FAST_FAIL_RETRY, startTcpProxy, test, type TcpProxy } from '@tactful/testing';
import { createKafkaClient } from './client';
import { createDeadLetter, type DeadLetter } from './dead-letter';
import { runEventConsumer, type EventConsumer } from './event-consumer';
import { CONSUMER_CONFIG, formEvent } from './event-consumer.fixtures';
import { silentLogger } from './test-support';

// How the consumer carries on when the DLQ cannot be written or a handler fails. What it refuses, and how,
// is in event-consumer.refusals.int.test.ts.

describe('runEventConsumer', () => {
  const running: EventConsumer[] = [];
  let proxy: TcpProxy | undefined;
  afterEach(async () => {
    await Promise.all(running.splice(0).map((c) => c.stop()));
    await proxy?.close();
  });

  test('when the DLQ cannot be written the offset is not committed, and the message is handled again once it can', async ({
    kafka,
    servers,
  }) => {
    const [events, dlq] = await kafka.createTopics(['events', 'dlq'], 1);
    const producer = await kafka.producer();
    await producer.send({
      topic: events!,
      acks: -1,
      messages: [
        { key: 'cust-1', value: JSON.stringify(formEvent('evt-0', 'cust-1')) },
        { key: 'cust-1', value: '{"not": "an event"' },
        { key: 'cust-1', value: JSON.stringify(formEvent('evt-2', 'cust-1')) },
      ],
    });

    // the DLQ producer reaches the broker only through a proxy that the test cuts
    proxy = await startTcpProxy(servers.kafkaBrokers[0]!);
    const port = proxy.port;
    const through = createKafkaClient({
      brokers: [proxy.address],
      clientId: 'dlq-through-proxy',
      retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 300 },
      requestTimeoutMs: 2000,
      connectionTimeoutMs: 500,
      socketFactory: ({ onConnect }) => net.connect({ host: '127.0.0.1', port }, onConnect),
    });
    const dlqProducer = through.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: FAST_FAIL_RETRY,
    });
    await dlqProducer.connect();
    proxy.cut();

    const metrics = createMetrics({ defaultMetrics: false });
    const real = createDeadLetter({ producer: dlqProducer, dlqTopic: dlq!, metrics, logger: silentLogger() });
    let attempts = 0;
    const deadLetter: DeadLetter = {
      topic: real.topic,
      send: (record) => {
        attempts += 1;
        return real.send(record);
      },
    };
    const handled: string[] = [];
    const groupId = `${kafka.namespace}.orchestrator`;
    running.push(
      await runEventConsumer({
        kafka: kafka.kafka,
        groupId,
        topic: events!,
        handle: async (event) => {
          handled.push(event.id);
        },
        deadLetter,
        logger: silentLogger(),
        consumerConfig: CONSUMER_CONFIG,
      }),
    );

    const committed = async () => {
      const [topic] = await kafka.admin.fetchOffsets({ groupId, topics: [events!] });
      return topic?.partitions.find((p) => p.partition === 0)?.offset;
    };
    // read again and again while the DLQ is away, never moving past it
    await eventually('the bad message read a third time', () => (attempts >= 3 ? true : undefined));
    expect(handled).toEqual(['evt-0']);
    expect(await committed()).toBe('1');

    proxy.restore();
    const [dead] = await kafka.readMessages(dlq!, 1);
    expect(dead?.value?.toString()).toBe('{"not": "an event"');
    expect(dead?.headers?.['tactful-source-offset']?.toString()).toBe('1');
    await eventually('the event after it handled', () => (handled.length === 2 ? true : undefined));
    expect(handled).toEqual(['evt-0', 'evt-2']);
    await eventually('offsets committed past the end', async () =>
      (await committed()) === '3' ? true : undefined,
    );
  });

  test('a handler error that is not transient dead-letters its event as processing_failed, and the consumer goes on', async ({
    kafka,
  }) => {
    const [events, dlq] = await kafka.createTopics(['events', 'dlq'], 1);
    const producer = await kafka.producer();
    await producer.send({
      topic: events!,
      acks: -1,
      messages: ['evt-0', 'evt-1', 'evt-2'].map((id) => ({
        key: 'cust-1',
        value: JSON.stringify(formEvent(id, 'cust-1')),
      })),
    });
    const groupId = `${kafka.namespace}.orchestrator`;
    const handled: string[] = [];
    const consumer = await runEventConsumer({
      kafka: kafka.kafka,
      groupId,
      topic: events!,
      handle: async (event) => {
        if (event.id === 'evt-1')
          throw Object.assign(new Error('the journey store refused the write'), { retriable: false });
        handled.push(event.id);
      },
      deadLetter: createDeadLetter({
        producer,
        dlqTopic: dlq!,
        metrics: createMetrics({ defaultMetrics: false }),
        logger: silentLogger(),
      }),
      logger: silentLogger(),
      consumerConfig: CONSUMER_CONFIG,
    });
    running.push(consumer);
    const [dead] = await kafka.readMessages(dlq!, 1);
    expect(dead?.headers?.['tactful-error']?.toString()).toBe('processing_failed');
    expect(dead?.headers?.['tactful-source-offset']?.toString()).toBe('1');
    await eventually('offsets committed past the end', async () => {
      const [topic] = await kafka.admin.fetchOffsets({ groupId, topics: [events!] });
      return topic?.partitions[0]?.offset === '3' ? true : undefined;
    });
    expect(handled).toEqual(['evt-0', 'evt-2']);
    expect(consumer.isRunning()).toBe(true);
  });
});
