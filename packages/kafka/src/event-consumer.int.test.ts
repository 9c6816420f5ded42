import net from 'node:net';
import { Partitioners, type KafkaMessage, type Message } from 'kafkajs';
import { afterEach, describe, expect } from 'vitest';
import { EXAMPLE_EVENTS, type RejectionReason, type TactfulEvent } from '@tactful/events';
import { createMetrics } from '@tactful/observability';
import { eventually, FAST_FAIL_RETRY, startTcpProxy, test, type TcpProxy } from '@tactful/testing';
import { createKafkaClient } from './client';
import { createDeadLetter, type DeadLetter } from './dead-letter';
import { runEventConsumer, type EventConsumer } from './event-consumer';
import { silentLogger } from './test-support';

// Timings shrunk so a failure is retried within a fraction of a second; production keeps kafkajs's.
const CONSUMER_CONFIG = {
  sessionTimeout: 10_000,
  heartbeatInterval: 500,
  maxWaitTimeInMs: 100,
  retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 300 },
};
const MAX_BYTES = 4096;

function formEvent(id: string, subject: string): TactfulEvent {
  return { ...EXAMPLE_EVENTS['form.submitted'], id, subject };
}

/** One message of a kind the consumer must refuse, and the reason it must give. */
const GARBAGE: ((key: string, i: number) => { message: Message; reason: RejectionReason })[] = [
  (key) => ({ message: { key, value: Buffer.from([0xc3, 0x28, 0xff]) }, reason: 'invalid_json' }),
  (key, i) => ({
    message: { key, value: JSON.stringify({ ...formEvent(`bad-${i}`, key), type: 'lead.scored' }) },
    reason: 'unknown_type',
  }),
  (key, i) => {
    const event = formEvent(`bad-${i}`, key);
    return {
      message: { key, value: JSON.stringify({ ...event, data: { ...event.data, email: 'nope' } }) },
      reason: 'schema_violation',
    };
  },
  (key, i) => ({
    message: { key, value: JSON.stringify(formEvent(`bad-${i}`, 'someone-else')) },
    reason: 'key_mismatch',
  }),
  (key, i) => ({
    message: { key: null, value: JSON.stringify(formEvent(`bad-${i}`, key)) },
    reason: 'missing_key',
  }),
  (key, i) => {
    const event = formEvent(`bad-${i}`, key);
    const big = { ...event, data: { ...event.data, note: 'x'.repeat(MAX_BYTES) } };
    return { message: { key, value: JSON.stringify(big) }, reason: 'too_large' };
  },
  (key, i) => ({
    message: {
      key,
      value: JSON.stringify({ ...EXAMPLE_EVENTS['timer.fired'], id: `bad-${i}`, subject: key }),
    },
    reason: 'internal_type',
  }),
  (key, i) => {
    const deep = JSON.stringify(formEvent(`bad-${i}`, key)).replace(
      '"data":{',
      '"data":{"x":' + '['.repeat(500) + ']'.repeat(500) + ',',
    );
    return { message: { key, value: deep }, reason: 'too_deep' };
  },
];

describe('runEventConsumer', () => {
  const running: EventConsumer[] = [];
  let proxy: TcpProxy | undefined;
  afterEach(async () => {
    await Promise.all(running.splice(0).map((c) => c.stop()));
    await proxy?.close();
  });

  test('survives garbage interleaved with events: every good one handled once, in order per key, every bad one in the DLQ with its reason', async ({
    kafka,
  }) => {
    const [events, dlq] = await kafka.createTopics(['events', 'dlq'], 3);
    const producer = await kafka.producer();
    const keys = ['cust-0', 'cust-1', 'cust-2', 'cust-3', 'cust-4'];
    const good: { key: string; id: string }[] = [];
    const bad: { value: string; reason: RejectionReason; key: string | null }[] = [];
    const messages: Message[] = [];
    for (let i = 0; i < 200; i++) {
      const key = keys[i % keys.length]!;
      if (i % 3 === 2) {
        const { message, reason } = GARBAGE[Math.floor(i / 3) % GARBAGE.length]!(key, i);
        messages.push(message);
        bad.push({
          value: Buffer.from(message.value as Buffer | string).toString('hex'),
          reason,
          key: message.key as string | null,
        });
      } else {
        const id = `evt-${i}`;
        messages.push({ key, value: JSON.stringify(formEvent(id, key)) });
        good.push({ key, id });
      }
    }
    await producer.send({ topic: events!, acks: -1, messages });

    const handled: { key: string; id: string }[] = [];
    const metrics = createMetrics({ defaultMetrics: false });
    running.push(
      await runEventConsumer({
        kafka: kafka.kafka,
        groupId: `${kafka.namespace}.orchestrator`,
        topic: events!,
        maxBytes: MAX_BYTES,
        handle: async (event, meta) => {
          expect(meta.key?.toString()).toBe(event.subject);
          handled.push({ key: event.subject, id: event.id });
        },
        deadLetter: createDeadLetter({ producer, dlqTopic: dlq!, metrics, logger: silentLogger() }),
        logger: silentLogger(),
        metrics,
        consumerConfig: CONSUMER_CONFIG,
      }),
    );

    const header = (m: KafkaMessage, name: string) => m.headers?.[name]?.toString();
    // Dead-lettering is at least once too: a bad message written to N.dlq again by a consumer restarted
    // before its offset commit carries the same source position, so each position counts once
    const position = (m: KafkaMessage) =>
      `${header(m, 'tactful-source-partition')}@${header(m, 'tactful-source-offset')}`;
    const distinct = (list: KafkaMessage[]) => [...new Map(list.map((m) => [position(m), m])).values()];
    let read = await kafka.readMessages(dlq!, bad.length, 30_000);
    for (let round = 0; round < 5 && distinct(read).length < bad.length; round++)
      read = await kafka.readMessages(dlq!, read.length + bad.length - distinct(read).length, 30_000);
    const dead = distinct(read);
    // A consumer restarted by a transient broker error (this test allows one retry) reads its uncommitted
    // messages again: at least once is the contract, and consumers drop an id they have handled. So: every
    // good event, nothing else, and per key the first handling of each in the order they were written.
    const goodIds = new Set(good.map((g) => g.id));
    await eventually('every good event handled', () =>
      new Set(handled.map((h) => h.id)).size >= goodIds.size ? true : undefined,
    );
    expect(handled.filter((h) => !goodIds.has(h.id))).toEqual([]);
    for (const key of keys) {
      const firsts = [
        ...new Map(handled.filter((h) => h.key === key).map((h) => [h.id, h] as const)).values(),
      ];
      expect(firsts, `events of ${key}`).toEqual(good.filter((g) => g.key === key));
    }

    const deadByValue = dead.map((m) => ({
      value: m.value?.toString('hex'),
      reason: header(m, 'tactful-error'),
      key: m.key?.toString() ?? null,
    }));
    // the DLQ keeps the original bytes, key and reason of each bad message (order across keys is not kept)
    const sorted = (list: object[]) => list.map((entry) => JSON.stringify(entry)).sort();
    expect(sorted(deadByValue)).toEqual(sorted(bad));
    for (const m of dead) {
      expect(header(m, 'tactful-source-topic')).toBe(events);
      expect(header(m, 'tactful-error-message')?.length).toBeGreaterThan(0);
      expect(Number(header(m, 'tactful-source-offset'))).toBeGreaterThanOrEqual(0);
    }
    const text = await metrics.registry.metrics();
    expect(text).toContain(
      `tactful_events_processed_total{type="form.submitted",outcome="handled"} ${good.length}`,
    );
    expect(text).toContain(
      `tactful_events_processed_total{type="invalid",outcome="dead_lettered"} ${bad.length}`,
    );
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

  test("with allowInternal, timer.fired is applied only with the timer service's origin header", async ({
    kafka,
  }) => {
    const [events, dlq] = await kafka.createTopics(['events', 'dlq'], 1);
    const producer = await kafka.producer();
    const timer = (id: string) => JSON.stringify({ ...EXAMPLE_EVENTS['timer.fired'], id, subject: 'cust-1' });
    await producer.send({
      topic: events!,
      acks: -1,
      messages: [
        { key: 'cust-1', value: timer('raw') },
        { key: 'cust-1', value: timer('forged'), headers: { 'tactful-origin': 'crm' } },
        { key: 'cust-1', value: timer('scheduled'), headers: { 'tactful-origin': 'scheduler' } },
      ],
    });
    const handled: string[] = [];
    running.push(
      await runEventConsumer({
        kafka: kafka.kafka,
        groupId: `${kafka.namespace}.orchestrator`,
        topic: events!,
        allowInternal: true,
        handle: async (event) => {
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
      }),
    );
    const dead = await kafka.readMessages(dlq!, 2);
    expect(dead.map((m) => m.headers?.['tactful-error']?.toString())).toEqual([
      'internal_type',
      'internal_type',
    ]);
    expect(dead[0]?.headers?.['tactful-error-message']?.toString()).toContain('tactful-origin: scheduler');
    await eventually("the scheduler's timer applied", () => (handled.length > 0 ? true : undefined));
    expect(handled).toEqual(['scheduled']);
  });
});
