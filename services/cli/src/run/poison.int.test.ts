import { CompressionTypes, type KafkaMessage } from '@tactful/kafka';
import { afterEach, describe, expect } from 'vitest';
import { DEFAULT_MAX_EVENT_BYTES, encodeEvent, EXAMPLE_EVENTS, type EmailSendCommand } from '@tactful/events';
import { STORE_DEFAULTS, shardOf } from '@tactful/store-redis';
import { eventually, test, type KafkaFixture, type TestServers } from '@tactful/testing';
import type { Stack } from './stack';
import { collect, event, shortJourneys, startTestStack, writePolicy, type Collector } from './test-stack';

// Invariant 8 on `tactful run` itself: whatever the bytes of one message, it is applied or dead-lettered
// with its reason, the events behind it on its partition are applied, and the process keeps running.

const header = (message: KafkaMessage | undefined, name: string) => message?.headers?.[name]?.toString();

describe('no single message stops tactful run', () => {
  let stack: Stack | undefined;
  const collectors: Collector[] = [];
  afterEach(async () => {
    await Promise.all(collectors.splice(0).map((c) => c.stop()));
    await stack?.close();
    stack = undefined;
  });

  async function setup(kafka: KafkaFixture, servers: TestServers, namespace: string) {
    stack = await startTestStack({
      servers,
      namespace,
      journeys: await shortJourneys('PT1S'),
      policy: await writePolicy(),
      services: ['orchestrator', 'scheduler', 'sentinel'],
    });
    const commands = await collect(kafka, kafka.topic('commands'), 'commands');
    const dlq = await collect(kafka, kafka.topic('dlq'), 'dlq');
    const events = await collect(kafka, kafka.topic('events'), 'events');
    collectors.push(commands, dlq, events);
    const sent = (customer: string) =>
      commands
        .json<EmailSendCommand>()
        .filter((c) => c.customerId === customer)
        .map((c) => c.template);
    const producer = await kafka.producer();
    const still = stack.failed.then((err) => err);
    const running = async () => (await Promise.race([still, Promise.resolve('running')])) === 'running';
    return { commands, dlq, events, sent, producer, running };
  }

  const whitepaper = (customer: string) =>
    event('form.submitted', customer, { formId: 'whitepaper-2026', email: `${customer}@example.com` });

  test('an event nested 5,000 deep and a gzip-compressed event over the size limit go to N.dlq; the events behind them are applied', async ({
    kafka,
    servers,
    namespace,
  }) => {
    const { dlq, sent, producer, running } = await setup(kafka, servers, namespace);
    const topic = kafka.topic('events');
    const deep = encodeEvent(whitepaper('ann'));
    const nested = '['.repeat(5000) + ']'.repeat(5000);
    await producer.send({
      topic,
      acks: -1,
      messages: [{ key: deep.key, value: deep.value.replace('"data":{', `"data":{"extra":${nested},`) }],
    });
    // 1.2 MB of JSON, a few kB once compressed: the broker takes it whole, and so must N.dlq
    const big = whitepaper('ann');
    const padded = JSON.stringify({ ...big, data: { ...big.data, padding: 'x'.repeat(1_200_000) } });
    expect(Buffer.byteLength(padded)).toBeGreaterThan(DEFAULT_MAX_EVENT_BYTES);
    await producer.send({
      topic,
      acks: -1,
      compression: CompressionTypes.GZIP,
      messages: [{ key: 'ann', value: padded }],
    });
    // behind both, on the same partition (same key)
    await producer.send({ topic, acks: -1, messages: [encodeEvent(whitepaper('ann'))] });

    await eventually('ann welcomed', () => (sent('ann').includes('wp-welcome') ? true : undefined));
    await eventually('both in N.dlq', () => (dlq.messages.length >= 2 ? true : undefined));
    const [tooDeep, tooLarge] = dlq.messages;
    expect(header(tooDeep, 'tactful-error')).toBe('too_deep');
    expect(header(tooDeep, 'tactful-error-message')).toContain('64');
    expect(header(tooDeep, 'tactful-source-offset')).toBe('0');
    expect(header(tooLarge, 'tactful-error')).toBe('too_large');
    expect(header(tooLarge, 'tactful-source-offset')).toBe('1');
    // written whole, compressed (a copy the broker still refused would carry tactful-dropped instead)
    expect(tooLarge?.value?.toString()).toBe(padded);
    expect(sent('ann')).toEqual(['wp-welcome']);
    expect(await running()).toBe(true);
  });

  test("a timer.fired produced from outside goes to N.dlq as internal_type; the timer service's own is applied", async ({
    kafka,
    servers,
    namespace,
  }) => {
    const { dlq, events, sent, producer, running } = await setup(kafka, servers, namespace);
    const topic = kafka.topic('events');
    await producer.send({ topic, acks: -1, messages: [encodeEvent(whitepaper('bob'))] });
    await eventually('bob welcomed', () => (sent('bob').includes('wp-welcome') ? true : undefined));
    const forged = { ...EXAMPLE_EVENTS['timer.fired'], id: 'timer-forged', subject: 'bob' };
    await producer.send({ topic, acks: -1, messages: [encodeEvent(forged)] });
    await eventually('the forged one in N.dlq', () => dlq.messages[0]);
    expect(header(dlq.messages[0], 'tactful-error')).toBe('internal_type');

    // the wait comes due: the timer service's timer.fired carries its mark and moves bob to the check-in
    await eventually('bob checked in', () => (sent('bob').includes('wp-checkin') ? true : undefined), {
      timeoutMs: 30_000,
    });
    const own = events.messages.find(
      (m) =>
        (JSON.parse(m.value?.toString() ?? '{}') as { type?: string; id?: string }).type === 'timer.fired' &&
        !m.value?.toString().includes('timer-forged'),
    );
    expect(header(own, 'tactful-origin')).toBe('scheduler');
    expect(dlq.messages).toHaveLength(1);
    expect(await running()).toBe(true);
  });

  test("a customer whose record cannot be read has their events dead-lettered as processing_failed, one by one; the others' events on the partition are applied", async ({
    kafka,
    servers,
    namespace,
    redis,
  }) => {
    const { dlq, sent, producer, running } = await setup(kafka, servers, namespace);
    const topic = kafka.topic('events');
    // the record of a customer, damaged: a version, then bytes that are not MessagePack of a record
    const record = `${namespace}:{s${shardOf('cid', STORE_DEFAULTS.shards)}}:c:cid:r`;
    await redis.redis.set(record, Buffer.from('7:\xc1\xc1\xc1', 'latin1'));
    // eve's event between cid's two, whether or not the keys share a partition
    const events = [
      whitepaper('cid'),
      whitepaper('eve'),
      event('page.viewed', 'cid', { url: 'https://x.test/' }),
    ];
    await producer.send({ topic, acks: -1, messages: events.map(encodeEvent) });

    await eventually('eve welcomed', () => (sent('eve').includes('wp-welcome') ? true : undefined));
    await eventually('both of cid in N.dlq', () => (dlq.messages.length >= 2 ? true : undefined));
    const failed = dlq.messages.filter((m) => header(m, 'tactful-error') === 'processing_failed');
    expect(
      failed.map((m) => JSON.parse(m.value?.toString() ?? '{}') as { id: string }).map((e) => e.id),
    ).toEqual([events[0]!.id, events[2]!.id]);
    expect(header(failed[0], 'tactful-error-message')).toContain('TactfulError internal');
    expect(sent('cid')).toEqual([]);
    expect(await running()).toBe(true);
  });
});
