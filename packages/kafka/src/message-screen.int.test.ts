import type { Kafka } from 'kafkajs';
import { afterEach, describe, expect } from 'vitest';
import type { Logger } from '@tactful/observability';
import { createMetrics } from '@tactful/observability';
import { eventually, test, type KafkaFixture } from '@tactful/testing';
import { createDeadLetter } from './dead-letter';
import { hasReachedEnds, readGroupPosition } from './group-offsets';
import {
  runMessageConsumer,
  type MessageConsumerOptions,
  type RunningConsumer,
  type ScreenOnlyConsumerOptions,
} from './message-consumer';
import { silentLogger } from './test-support';

// The raw-bytes hook (`screen`) and a loop without a dead-letter path: what the halt sentinel and the
// console's topic tail rely on. A message the hook passes by must reach neither the parser nor the
// handler nor the DLQ, and still be committed past; a rejection with no dead-letter path is passed by. A
// screen-only consumer (the tail's) gives no parser or handler at all, and its screen takes every message.

const CONSUMER_CONFIG = { sessionTimeout: 10_000, heartbeatInterval: 500, maxWaitTimeInMs: 100 };
const IDS = ['a', 'skip-1', 'b', 'skip-2', 'skip-3', 'c'];

describe('runMessageConsumer: the raw-bytes hook', () => {
  const running: RunningConsumer[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((c) => c.stop()));
  });

  async function setup(kafka: KafkaFixture) {
    const [topic, dlq] = await kafka.createTopics(['events', 'dlq'], 1);
    const producer = await kafka.producer();
    await producer.send({ topic: topic!, acks: -1, messages: IDS.map((id) => ({ key: 'k', value: id })) });
    const metrics = createMetrics({ defaultMetrics: false });
    const groupId = `${kafka.namespace}.screen`;
    const seen = { screened: [] as string[], parsed: [] as string[], outcomes: [] as string[] };
    const base: Omit<MessageConsumerOptions<string>, 'handle' | 'handleBatch'> = {
      kafka: kafka.kafka,
      groupId,
      topic: topic!,
      screen: ({ message }) => {
        const id = message.value?.toString() ?? '';
        seen.screened.push(id);
        return id.startsWith('skip-') ? 'skip' : 'read';
      },
      parse: (value) => {
        const id = value?.toString() ?? '';
        seen.parsed.push(id);
        // a skipped message must never get here: if it did, it would be dead-lettered
        return id.startsWith('skip-')
          ? { ok: false, rejection: { reason: 'invalid_json', message: 'should have been skipped' } }
          : { ok: true, value: id, type: 'test' };
      },
      deadLetter: createDeadLetter({ producer, dlqTopic: dlq!, metrics, logger: silentLogger() }),
      onProcessed: (_type, outcome) => seen.outcomes.push(outcome),
      logger: silentLogger(),
      consumerConfig: CONSUMER_CONFIG,
    };
    const committedToEnd = () =>
      eventually('offsets committed past the last message', async () => {
        const [offsets] = await kafka.admin.fetchOffsets({ groupId, topics: [topic!] });
        return offsets?.partitions[0]?.offset === String(IDS.length) ? true : undefined;
      });
    const dlqSize = async () => Number((await kafka.admin.fetchTopicOffsets(dlq!))[0]?.high ?? -1);
    return { base, seen, committedToEnd, dlqSize };
  }

  for (const mode of ['handle', 'handleBatch'] as const)
    test(`${mode}: a message the hook skips is neither parsed, handled nor dead-lettered, and is committed past`, async ({
      kafka,
    }) => {
      const { base, seen, committedToEnd, dlqSize } = await setup(kafka);
      const handled: string[] = [];
      const handlers =
        mode === 'handle'
          ? { handle: async (id: string) => void handled.push(id) }
          : {
              handleBatch: async (items: readonly { value: string }[]) =>
                items.map((item) => void handled.push(item.value)),
            };
      running.push(await runMessageConsumer<string>({ ...base, ...handlers }));

      await committedToEnd();
      expect(seen.screened).toEqual(IDS);
      expect(seen.parsed).toEqual(['a', 'b', 'c']);
      expect(handled).toEqual(['a', 'b', 'c']);
      expect(await dlqSize()).toBe(0);
    });

  test('without a dead-letter path, a rejected message is passed by as left_to_owner and committed past', async ({
    kafka,
  }) => {
    const { base, seen, committedToEnd, dlqSize } = await setup(kafka);
    const handled: string[] = [];
    const { deadLetter: _owned, ...withoutDeadLetter } = base;
    running.push(
      await runMessageConsumer<string>({
        ...withoutDeadLetter,
        // every message is read, so the skip- ones are rejected by the parser
        screen: () => 'read',
        handle: async (id) => void handled.push(id),
      }),
    );

    await committedToEnd();
    expect(handled).toEqual(['a', 'b', 'c']);
    expect(seen.outcomes.filter((o) => o === 'left_to_owner')).toHaveLength(3);
    expect(await dlqSize()).toBe(0);
  });

  test('screen-only: every message reaches the screen alone, a screen that throws does not stop it, and all are committed past', async ({
    kafka,
  }) => {
    const { dlqSize } = await setup(kafka);
    const [topic] = await kafka.createTopics(['records'], 1);
    const producer = await kafka.producer();
    // bytes no parser of this project would accept: the screen sees them as they are
    const values = ['a', 'throw', '\u0000not json', 'b'];
    await producer.send({ topic: topic!, acks: -1, messages: values.map((value) => ({ key: 'k', value })) });
    const groupId = `${kafka.namespace}.screen-only`;
    const screened: string[] = [];
    const options: ScreenOnlyConsumerOptions = {
      kafka: kafka.kafka,
      groupId,
      topic: topic!,
      screen: ({ message }) => {
        const value = message.value?.toString() ?? '';
        screened.push(value);
        if (value === 'throw') throw new Error('a screen that fails on one record');
      },
      logger: silentLogger(),
      consumerConfig: CONSUMER_CONFIG,
    };
    running.push(await runMessageConsumer(options));

    await eventually('offsets committed past the last record', async () => {
      const { committed, ends } = await readGroupPosition(kafka.admin, groupId, [topic!]);
      return hasReachedEnds(committed, ends) && screened.length === values.length ? true : undefined;
    });
    expect(screened).toEqual(values);
    expect(await dlqSize()).toBe(0);
  });
});

// Types only, never called: a screen-only consumer needs no parser or handler, and cannot be given one.
export function _screenOnlyTakesNoHandler(kafka: Kafka, logger: Logger): void {
  const base = { kafka, groupId: 'g', topic: 't', logger };
  void runMessageConsumer({ ...base, screen: () => undefined });
  // @ts-expect-error a screen-only consumer has no handler
  void runMessageConsumer({ ...base, screen: () => undefined, handle: async () => undefined });
}
