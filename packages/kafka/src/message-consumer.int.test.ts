import { afterEach, describe, expect } from 'vitest';
import { Command, TactfulError } from '@tactful/events';
import { createMetrics } from '@tactful/observability';
import { eventually, test, type KafkaFixture } from '@tactful/testing';
import { createDeadLetter } from './dead-letter';
import { itemFailure } from './message-failure';
import {
  runMessageConsumer,
  type BatchOutcome,
  type MessageConsumerOptions,
  type MessageMeta,
  type RunningConsumer,
} from './message-consumer';
import { silentLogger } from './test-support';

// A message is `{"id": …}`; the handlers below fail on the ids a test names. What the loop must show:
// no single message stops the consumer, a failure of the message's own is dead-lettered as
// processing_failed and the rest applied, a transient failure is retried without moving past it.

const CONSUMER_CONFIG = {
  sessionTimeout: 10_000,
  heartbeatInterval: 500,
  maxWaitTimeInMs: 100,
  retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 300 },
};

/** One failure of a message's own per kind the consumer must survive, keyed by the id that throws it. */
const POISON: Record<string, () => unknown> = {
  'poison-range': () => JSON.stringify(deeplyNested(100_000)),
  'poison-type': () => (undefined as unknown as { x: number }).x,
  'poison-zod': () => Command.parse({ type: 'email.send' }),
  'poison-internal': () => {
    throw new TactfulError('internal', 'state of ann@example.com must be JSON-serialisable');
  },
};

function deeplyNested(levels: number): unknown {
  let value: unknown = [];
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

function idOf(value: Buffer | null): string {
  return (JSON.parse(value?.toString() ?? 'null') as { id: string }).id;
}

const header = (headers: Record<string, unknown> | undefined, name: string) =>
  (headers?.[name] as Buffer | undefined)?.toString();

describe('runMessageConsumer: no single message stops it', () => {
  const running: RunningConsumer[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((c) => c.stop()));
  });

  async function setup(kafka: KafkaFixture, ids: string[]) {
    const [topic, dlq] = await kafka.createTopics(['events', 'dlq'], 1);
    const producer = await kafka.producer();
    await producer.send({
      topic: topic!,
      acks: -1,
      messages: ids.map((id) => ({ key: 'cust-1', value: JSON.stringify({ id }) })),
    });
    const metrics = createMetrics({ defaultMetrics: false });
    const groupId = `${kafka.namespace}.loop`;
    const base: Omit<MessageConsumerOptions<string>, 'handle' | 'handleBatch'> = {
      kafka: kafka.kafka,
      groupId,
      topic: topic!,
      component: 'loop-test',
      parse: (value) => ({ ok: true, value: idOf(value), type: 'test' }),
      deadLetter: createDeadLetter({ producer, dlqTopic: dlq!, metrics, logger: silentLogger() }),
      logger: silentLogger(),
      onProcessed: (type, outcome) => metrics.eventsProcessed.inc({ type, outcome }),
      consumerConfig: CONSUMER_CONFIG,
    };
    const committed = async () => {
      const [offsets] = await kafka.admin.fetchOffsets({ groupId, topics: [topic!] });
      return offsets?.partitions[0]?.offset;
    };
    return { topic: topic!, dlq: dlq!, metrics, base, committed };
  }

  async function expectDeadLettered(kafka: KafkaFixture, dlq: string, ids: string[]) {
    const dead = await kafka.readMessages(dlq, ids.length);
    expect(dead.map((m) => idOf(m.value)).sort()).toEqual([...ids].sort());
    for (const message of dead) {
      expect(header(message.headers, 'tactful-error')).toBe('processing_failed');
      const why = header(message.headers, 'tactful-error-message') ?? '';
      expect(why).toMatch(/^handling the message failed with /);
      expect(why).not.toContain('ann@example.com');
    }
    return dead;
  }

  test('handle: a RangeError, a TypeError, a zod error and a non-retriable TactfulError each dead-letter their message; the others are applied in order and the offsets reach the end', async ({
    kafka,
  }) => {
    const ids = ['a', 'poison-range', 'b', 'poison-type', 'c', 'poison-zod', 'd', 'poison-internal', 'e'];
    const { dlq, metrics, base, committed } = await setup(kafka, ids);
    const applied: string[] = [];
    const consumer = await runMessageConsumer<string>({
      ...base,
      handle: async (id) => {
        POISON[id]?.();
        applied.push(id);
        return 'applied';
      },
    });
    running.push(consumer);

    const dead = await expectDeadLettered(kafka, dlq, Object.keys(POISON));
    const reasons = Object.fromEntries(
      dead.map((m) => [idOf(m.value), header(m.headers, 'tactful-error-message')]),
    );
    expect(reasons['poison-range']).toContain('RangeError');
    expect(reasons['poison-zod']).toContain('ZodError');
    expect(reasons['poison-internal']).toContain('TactfulError internal');
    await eventually('offsets committed past the last message', async () =>
      (await committed()) === String(ids.length) ? true : undefined,
    );
    expect(applied).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(consumer.isRunning()).toBe(true);
    const text = await metrics.registry.metrics();
    expect(text).toContain('tactful_events_processed_total{type="test",outcome="dead_lettered"} 4');
    expect(text).toContain('tactful_events_processed_total{type="test",outcome="applied"} 5');
    expect(text).toMatch(/tactful_dlq_messages_total\{source_topic="[^"]+",reason="processing_failed"\} 4/);
  });

  test('handle: a transient error is retried on the same message, never dead-lettered nor passed', async ({
    kafka,
  }) => {
    const { dlq, base, committed } = await setup(kafka, ['a', 'flaky', 'b']);
    const applied: string[] = [];
    let failures = 0;
    running.push(
      await runMessageConsumer<string>({
        ...base,
        handle: async (id) => {
          if (id === 'flaky' && failures < 3) {
            failures += 1;
            throw TactfulError.retriable('redis.unavailable', 'Redis is away');
          }
          applied.push(id);
        },
      }),
    );
    await eventually('offsets committed past the last message', async () =>
      (await committed()) === '3' ? true : undefined,
    );
    expect(failures).toBe(3);
    // the message after it waited: applied only once the transient failure was over, in order
    expect(applied).toEqual(['a', 'flaky', 'b']);
    const { high } = (await kafka.admin.fetchTopicOffsets(dlq))[0]!;
    expect(high).toBe('0');
  });

  test('handleBatch: an item the handler reports as failed is dead-lettered, the others keep their outcomes, applied once', async ({
    kafka,
  }) => {
    const ids = ['a', 'b', 'poison-range', 'c', 'poison-type', 'd'];
    const { dlq, metrics, base, committed } = await setup(kafka, ids);
    const applications = new Map<string, number>();
    running.push(
      await runMessageConsumer<string>({
        ...base,
        handleBatch: async (items) =>
          items.map(({ value: id }): BatchOutcome => {
            try {
              POISON[id]?.();
            } catch (err) {
              return itemFailure(err);
            }
            applications.set(id, (applications.get(id) ?? 0) + 1);
            return 'applied';
          }),
      }),
    );
    await expectDeadLettered(kafka, dlq, ['poison-range', 'poison-type']);
    await eventually('offsets committed past the last message', async () =>
      (await committed()) === String(ids.length) ? true : undefined,
    );
    expect(Object.fromEntries(applications)).toEqual({ a: 1, b: 1, c: 1, d: 1 });
    expect(await metrics.registry.metrics()).toContain(
      'tactful_events_processed_total{type="test",outcome="applied"} 4',
    );
  });

  test('handleBatch: a handler that throws for the whole batch has its failing item found and dead-lettered, every other item applied', async ({
    kafka,
  }) => {
    const ids = ['a', 'b', 'poison-range', 'c', 'd'];
    const { dlq, base, committed } = await setup(kafka, ids);
    const applied = new Set<string>();
    const batches: string[][] = [];
    running.push(
      await runMessageConsumer<string>({
        ...base,
        handleBatch: async (items: readonly { value: string; meta: MessageMeta }[]) => {
          batches.push(items.map((item) => item.value));
          for (const { value: id } of items) POISON[id]?.();
          for (const { value: id } of items) applied.add(id);
          return items.map(() => 'applied');
        },
      }),
    );
    await expectDeadLettered(kafka, dlq, ['poison-range']);
    await eventually('offsets committed past the last message', async () =>
      (await committed()) === String(ids.length) ? true : undefined,
    );
    expect([...applied].sort()).toEqual(['a', 'b', 'c', 'd']);
    // found by applying the batch's items one at a time
    expect(batches.some((batch) => batch.length === 1 && batch[0] === 'poison-range')).toBe(true);
  });

  test('handleBatch with progress: an item dead-lettered through progress is in the DLQ before the handler goes on, once; commitThrough commits before the batch ends', async ({
    kafka,
  }) => {
    const ids = ['a', 'poison-range', 'b', 'c'];
    const { dlq, base, committed } = await setup(kafka, ids);
    const seen: { dlqAtDeadLetter?: string; committedAtCommit?: string } = {};
    const dlqSize = async () => (await kafka.admin.fetchTopicOffsets(dlq))[0]!.high;
    running.push(
      await runMessageConsumer<string>({
        ...base,
        handleBatch: async (items, _heartbeat, progress) => {
          const outcomes: BatchOutcome[] = [];
          for (const [i, { value: id }] of items.entries()) {
            try {
              POISON[id]?.();
              outcomes.push('applied');
            } catch (err) {
              await progress.deadLetter(i, err);
              seen.dlqAtDeadLetter = await dlqSize();
              outcomes.push(itemFailure(err));
            }
            if (id === 'b') {
              await progress.commitThrough(i);
              seen.committedAtCommit = await committed();
            }
          }
          return outcomes;
        },
      }),
    );
    await eventually('offsets committed past the last message', async () =>
      (await committed()) === String(ids.length) ? true : undefined,
    );
    expect(seen).toEqual({ dlqAtDeadLetter: '1', committedAtCommit: '3' });
    await expectDeadLettered(kafka, dlq, ['poison-range']);
    expect(await dlqSize()).toBe('1');
  });

  test('handleBatch: after a whole-batch throw, the items already dead-lettered through progress are not applied again', async ({
    kafka,
  }) => {
    const ids = ['a', 'poison-type', 'b'];
    const { dlq, base, committed } = await setup(kafka, ids);
    const singles: string[] = [];
    running.push(
      await runMessageConsumer<string>({
        ...base,
        handleBatch: async (items, _heartbeat, progress) => {
          if (items.length === 1) {
            singles.push(items[0]!.value);
            return ['applied'];
          }
          const at = items.findIndex((item) => item.value === 'poison-type');
          if (at >= 0) await progress.deadLetter(at, new TypeError('x is undefined'));
          throw new TypeError('the batch as a whole failed');
        },
      }),
    );
    await eventually('offsets committed past the last message', async () =>
      (await committed()) === String(ids.length) ? true : undefined,
    );
    expect(singles).toEqual(['a', 'b']);
    await expectDeadLettered(kafka, dlq, ['poison-type']);
    expect((await kafka.admin.fetchTopicOffsets(dlq))[0]!.high).toBe('1');
  });
});
