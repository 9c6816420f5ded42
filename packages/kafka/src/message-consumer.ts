import type { Consumer, ConsumerConfig, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import type { Rejection } from '@tactful/events';
import { TactfulError } from '@tactful/events';
import type { Logger } from '@tactful/observability';
import { trackConsumerLifecycle, type ConsumerLifecycle } from './consumer-lifecycle';
import type { DeadLetter } from './dead-letter';

/** Where a message came from, for handlers that log or record it. */
export interface MessageMeta {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  /** The original bytes, for a handler that dead-letters the message itself. */
  readonly value: Buffer | null;
  readonly headers: IHeaders;
  /** The Kafka timestamp (ms since the epoch, as a decimal string). */
  readonly timestamp: string;
  /**
   * Tells the group this member is alive. A handler that waits a long time on one message (a retry with
   * backoff) calls it between attempts, so its partitions are not given to another member meanwhile.
   */
  heartbeat(): Promise<void>;
}

/** A message read as a value the handler accepts (with a `type` for metrics), or why it is not one. */
export type ParsedMessage<T> =
  | { readonly ok: true; readonly value: T; readonly type: string }
  | { readonly ok: false; readonly rejection: Rejection | (Omit<Rejection, 'reason'> & { reason: string }) };

export interface MessageConsumerOptions<T> {
  readonly kafka: Kafka;
  readonly groupId: string;
  readonly topic: string;
  /** The logger's `component` (default `message-consumer`). */
  readonly component?: string;
  /** Pure; never throws. Reads one message; a rejection goes to the DLQ with its reason. */
  readonly parse: (value: Buffer | null, key: Buffer | null) => ParsedMessage<T>;
  /**
   * Applies one value. The offset is committed only after it resolves; what it resolves to is the
   * `outcome` given to `onProcessed` (default `handled`). A throw is never swallowed: the consumer does
   * not move past the message (see `runMessageConsumer`).
   */
  readonly handle?: (value: T, meta: MessageMeta) => Promise<string | void>;
  /**
   * Instead of `handle`: applies the valid values of one fetched batch of one partition, in partition order
   * (invalid ones are already in the DLQ), and resolves with an outcome per value. The batch's offsets are
   * committed only after it resolves; a throw re-reads the batch from the last offset committed.
   * `heartbeat` keeps the membership alive during a long batch. `commitThrough(i)` commits the offsets
   * up to and including item `i` at once, for a handler that finishes a batch in parts and wants its
   * progress kept (and visible) before the end; the items after it are re-read after a crash.
   */
  readonly handleBatch?: (
    items: readonly { value: T; meta: MessageMeta }[],
    heartbeat: () => Promise<void>,
    commitThrough: (index: number) => Promise<void>,
  ) => Promise<readonly (string | void)[]>;
  readonly deadLetter: DeadLetter;
  readonly logger: Logger;
  /** Called once per message finished with: its type (`invalid` when unreadable) and outcome. */
  readonly onProcessed?: (type: string, outcome: string) => void;
  /** Where a group with no committed offset starts. Default true: a new group must not skip messages. */
  readonly fromBeginning?: boolean;
  /** Partitions handled at once; one customer is always on one partition, so order per customer holds. */
  readonly partitionsConsumedConcurrently?: number;
  /** Timings (session timeout, heartbeats, fetch wait) and retries of the kafkajs consumer; tests shrink them. */
  readonly consumerConfig?: Omit<ConsumerConfig, 'groupId'>;
}

export interface RunningConsumer extends ConsumerLifecycle {
  readonly consumer: Consumer;
}

type Rejected<T> = Extract<ParsedMessage<T>, { ok: false }>['rejection'];

/**
 * The consumer loop every Tactful consumer of one topic shares: each message is read with `parse`; a
 * rejected one goes to the DLQ with its reason and the consumer moves on; a valid one is handed to `handle`
 * (or, with its batch, to `handleBatch`).
 *
 * Offsets: kafkajs auto-commit, which commits only resolved offsets. With `handle` (`eachMessage`) a
 * message's offset is resolved only after our callback returns; with `handleBatch` (`eachBatch`, no
 * auto-resolve) the batch's last offset is resolved only after `handleBatch` returned. So an offset is
 * committed only once its handler resolved or the DLQ acknowledged the message. When either throws, the
 * offsets before it are committed, this one is not, and kafkajs fetches it again after a backoff; a
 * retriable error (a `TactfulError` with `retriable`, a kafkajs network error, any error not marked
 * `retriable: false`) is retried until it succeeds, restarting the consumer when the retries of
 * `consumerConfig.retry` are spent. An error marked `retriable: false` stops the consumer: `stopped`
 * resolves with it and the service should exit with the reason.
 */
export async function runMessageConsumer<T>(options: MessageConsumerOptions<T>): Promise<RunningConsumer> {
  const { topic, deadLetter, handle, handleBatch } = options;
  if ((handle === undefined) === (handleBatch === undefined))
    throw new TactfulError('internal', 'runMessageConsumer needs exactly one of handle and handleBatch');
  const logger = options.logger.child({
    component: options.component ?? 'message-consumer',
    topic,
    groupId: options.groupId,
  });
  const consumer = options.kafka.consumer({ ...options.consumerConfig, groupId: options.groupId });
  const lifecycle = trackConsumerLifecycle(consumer, logger);

  const metaOf = (
    source: string,
    partition: number,
    message: KafkaMessage,
    heartbeat: () => Promise<void>,
  ): MessageMeta => ({
    topic: source,
    partition,
    offset: message.offset,
    key: message.key,
    value: message.value,
    headers: message.headers ?? {},
    timestamp: message.timestamp,
    heartbeat,
  });
  /** Writes a rejected message to the DLQ; resolves once the DLQ acknowledged it. */
  const deadLetterOf = async (
    source: string,
    partition: number,
    message: KafkaMessage,
    rejection: Rejected<T>,
  ): Promise<void> => {
    const { reason, message: why, path } = rejection;
    await deadLetter.send({
      sourceTopic: source,
      partition,
      offset: message.offset,
      key: message.key,
      value: message.value,
      headers: message.headers ?? {},
      reason,
      message: why,
      ...(path === undefined ? {} : { path }),
    });
    options.onProcessed?.('invalid', 'dead_lettered');
  };

  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: options.fromBeginning ?? true });
  const partitionsConsumedConcurrently = options.partitionsConsumedConcurrently ?? 1;
  if (handleBatch !== undefined) {
    await consumer.run({
      autoCommit: true,
      eachBatchAutoResolve: false,
      // `commitOffsetsIfNecessary()` commits whatever was resolved, so `commitThrough` commits at once
      autoCommitThreshold: 1,
      partitionsConsumedConcurrently,
      eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary }) => {
        const items: { value: T; meta: MessageMeta }[] = [];
        const types: string[] = [];
        for (const message of batch.messages) {
          const result = options.parse(message.value, message.key);
          if (result.ok) {
            items.push({
              value: result.value,
              meta: metaOf(batch.topic, batch.partition, message, heartbeat),
            });
            types.push(result.type);
          } else await deadLetterOf(batch.topic, batch.partition, message, result.rejection);
        }
        const commitThrough = async (index: number): Promise<void> => {
          const item = items[index];
          if (item === undefined) throw new TactfulError('internal', `no item ${index} in the batch`);
          resolveOffset(item.meta.offset);
          await commitOffsetsIfNecessary();
        };
        const outcomes = items.length === 0 ? [] : await handleBatch(items, heartbeat, commitThrough);
        types.forEach((type, i) => options.onProcessed?.(type, outcomes[i] ?? 'handled'));
        const last = batch.messages.at(-1);
        if (last !== undefined) resolveOffset(last.offset);
        await heartbeat();
      },
    });
  } else if (handle !== undefined) {
    await consumer.run({
      autoCommit: true,
      partitionsConsumedConcurrently,
      eachMessage: async ({ topic: source, partition, message, heartbeat }) => {
        const result = options.parse(message.value, message.key);
        if (!result.ok) {
          await deadLetterOf(source, partition, message, result.rejection);
          return;
        }
        const outcome = await handle(result.value, metaOf(source, partition, message, heartbeat));
        options.onProcessed?.(result.type, outcome ?? 'handled');
      },
    });
  }
  logger.info('consuming');

  return { consumer, ...lifecycle };
}
