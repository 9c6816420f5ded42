import type { KafkaMessage, Message } from 'kafkajs';
import { afterEach, describe, expect } from 'vitest';
import { EXAMPLE_EVENTS, type RejectionReason } from '@tactful/events';
import { createMetrics } from '@tactful/observability';
import { eventually, test } from '@tactful/testing';
import { createDeadLetter } from './dead-letter';
import { runEventConsumer, type EventConsumer } from './event-consumer';
import { CONSUMER_CONFIG, formEvent } from './event-consumer.fixtures';
import { silentLogger } from './test-support';

// What the consumer refuses, and how: garbage goes to the DLQ with its reason, and so does an internal
// type without its origin.
// How it carries on when the DLQ or a handler fails is in event-consumer.failures.int.test.ts.

const MAX_BYTES = 4096;

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
  afterEach(async () => {
    await Promise.all(running.splice(0).map((c) => c.stop()));
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
