import { createHash, randomBytes } from 'node:crypto';
import { describe, expect } from 'vitest';
import { test } from '@tactful/testing';
import { createMetrics } from '@tactful/observability';
import { createDeadLetter } from './dead-letter';
import { silentLogger } from './test-support';

describe('createDeadLetter', () => {
  test('writes the original bytes, key and headers to N.dlq with the reason and the source', async ({
    kafka,
  }) => {
    const [dlq] = await kafka.createTopics(['dlq'], 1);
    const metrics = createMetrics({ defaultMetrics: false });
    const deadLetter = createDeadLetter({
      producer: await kafka.producer(),
      dlqTopic: dlq!,
      metrics,
      logger: silentLogger(),
    });
    // bytes that are not UTF-8 must survive untouched, not be re-encoded
    const value = Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0x22]);
    const key = Buffer.from('cust-42');
    await deadLetter.send({
      sourceTopic: `${kafka.namespace}.events`,
      partition: 2,
      offset: '17',
      key,
      value,
      headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
      reason: 'invalid_json',
      message: 'the value is not UTF-8',
    });

    const [message] = await kafka.readMessages(dlq!, 1);
    expect(message?.value).toEqual(value);
    expect(message?.key).toEqual(key);
    const headers = Object.fromEntries(
      Object.entries(message?.headers ?? {}).map(([name, v]) => [name, String(v)]),
    );
    expect(headers).toEqual({
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      'tactful-error': 'invalid_json',
      'tactful-error-message': 'the value is not UTF-8',
      'tactful-source-topic': `${kafka.namespace}.events`,
      'tactful-source-partition': '2',
      'tactful-source-offset': '17',
    });
    expect(await metrics.registry.metrics()).toContain(
      `tactful_dlq_messages_total{source_topic="${kafka.namespace}.events",reason="invalid_json"} 1`,
    );
  });

  test('a message without a key keeps no key, and the write failing is a retriable dlq.write_failed', async ({
    kafka,
  }) => {
    const [dlq] = await kafka.createTopics(['dlq'], 1);
    const producer = await kafka.producer();
    const deadLetter = createDeadLetter({
      producer,
      dlqTopic: dlq!,
      metrics: createMetrics({ defaultMetrics: false }),
      logger: silentLogger(),
    });
    const record = {
      sourceTopic: 'x.events',
      partition: 0,
      offset: '0',
      key: null,
      value: Buffer.from('{}'),
      reason: 'missing_key',
      message: 'the message has no key',
    };
    await deadLetter.send(record);
    const [message] = await kafka.readMessages(dlq!, 1);
    expect(message?.key).toBeNull();

    await producer.disconnect();
    const failed = await deadLetter.send(record).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failed).toMatchObject({ name: 'TactfulError', code: 'dlq.write_failed', retriable: true });
  });

  test("compresses its copies: a value over the broker's message limit that compresses well is kept whole", async ({
    kafka,
  }) => {
    const [dlq] = await kafka.createTopics(['dlq'], 1);
    const deadLetter = createDeadLetter({
      producer: await kafka.producer(),
      dlqTopic: dlq!,
      metrics: createMetrics({ defaultMetrics: false }),
      logger: silentLogger(),
    });
    const value = Buffer.from(`{"padding":"${'x'.repeat(1_200_000)}"}`);
    await deadLetter.send({
      sourceTopic: 'x.events',
      partition: 0,
      offset: '5',
      key: 'cust-1',
      value,
      reason: 'too_large',
      message: 'the value is 1200015 bytes, over the limit of 1048576',
    });
    const [message] = await kafka.readMessages(dlq!, 1);
    expect(message?.value?.equals(value)).toBe(true);
    expect(message?.headers).not.toHaveProperty('tactful-dropped');
  });

  test('a copy the broker still refuses as too large is written without its value, then without its key and headers, never blocking', async ({
    kafka,
  }) => {
    // a dead-letter topic that takes at most 20 kB per batch, and values that do not compress
    const dlq = kafka.topic('small-dlq');
    await kafka.admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: dlq, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '20000' }] },
      ],
    });
    try {
      const deadLetter = createDeadLetter({
        producer: await kafka.producer(),
        dlqTopic: dlq,
        metrics: createMetrics({ defaultMetrics: false }),
        logger: silentLogger(),
      });
      const record = (value: Buffer, headers: Record<string, string>, offset: string) => ({
        sourceTopic: 'x.events',
        partition: 2,
        offset,
        key: 'cust-1',
        value,
        headers,
        reason: 'invalid_json',
        message: 'the value is not UTF-8',
      });
      const big = randomBytes(100_000);
      const bigHeaders = { traceparent: '00-abc-01', 'x-bulk': randomBytes(40_000).toString('base64') };
      await deadLetter.send(record(big, { traceparent: '00-abc-01' }, '7'));
      await deadLetter.send(record(big, bigHeaders, '8'));

      const [noValue, bare] = await kafka.readMessages(dlq, 2);
      const sha256 = createHash('sha256').update(big).digest('hex');
      const text = (m: typeof noValue) =>
        Object.fromEntries(Object.entries(m?.headers ?? {}).map(([name, v]) => [name, String(v)]));
      expect(noValue?.value).toBeNull();
      expect(noValue?.key?.toString()).toBe('cust-1');
      expect(text(noValue)).toMatchObject({
        traceparent: '00-abc-01',
        'tactful-error': 'invalid_json',
        'tactful-source-offset': '7',
        'tactful-dropped': 'value',
        'tactful-original-bytes': '100000',
        'tactful-original-sha256': sha256,
      });
      expect(bare?.value).toBeNull();
      expect(bare?.key).toBeNull();
      expect(text(bare)).toEqual({
        'tactful-error': 'invalid_json',
        'tactful-error-message': 'the value is not UTF-8',
        'tactful-source-topic': 'x.events',
        'tactful-source-partition': '2',
        'tactful-source-offset': '8',
        'tactful-dropped': 'value,key,headers',
        'tactful-original-bytes': '100000',
        'tactful-original-sha256': sha256,
      });
    } finally {
      await kafka.admin.deleteTopics({ topics: [dlq] });
    }
  });
});
