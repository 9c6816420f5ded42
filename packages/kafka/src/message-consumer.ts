import type { Consumer, ConsumerConfig, IHeaders, Kafka } from 'kafkajs';
import type { Rejection } from '@tactful/events';
import type { Logger } from '@tactful/observability';
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
  readonly handle: (value: T, meta: MessageMeta) => Promise<string | void>;
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

export interface RunningConsumer {
  readonly consumer: Consumer;
  /** False once the consumer stopped for good (a failure it does not retry, or `stop()`). */
  isRunning(): boolean;
  /** For a readiness check: running and a member of its group. */
  isReady(): boolean;
  /** Resolves when the consumer stops for good: with the error that stopped it, or undefined after `stop()`. */
  readonly stopped: Promise<Error | undefined>;
  /** Finishes the message in hand, commits, leaves the group and disconnects. */
  stop(): Promise<void>;
}

/**
 * The consumer loop every Tactful consumer shares: each message is read with `parse`; a rejected one goes
 * to the DLQ with its reason and the consumer moves on; a valid one is handed to `handle`.
 *
 * Offsets: kafkajs `eachMessage` with auto-commit, which resolves a message's offset only after our callback
 * returns and commits only resolved offsets. So an offset is committed only once `handle` resolved or the DLQ
 * acknowledged the message. When either throws, the offsets before it are committed, this one is not, and
 * kafkajs fetches it again after a backoff; a retriable error (a `TactfulError` with `retriable`, a kafkajs
 * network error, any error not marked `retriable: false`) is retried until it succeeds, restarting the
 * consumer when the retries of `consumerConfig.retry` are spent. An error marked `retriable: false` stops
 * the consumer: `stopped` resolves with it and the service should exit with the reason.
 */
export async function runMessageConsumer<T>(options: MessageConsumerOptions<T>): Promise<RunningConsumer> {
  const { topic, deadLetter } = options;
  const logger = options.logger.child({
    component: options.component ?? 'message-consumer',
    topic,
    groupId: options.groupId,
  });
  const consumer = options.kafka.consumer({ ...options.consumerConfig, groupId: options.groupId });
  let running = true;
  let joined = false;
  let settle: (error: Error | undefined) => void = () => undefined;
  const stopped = new Promise<Error | undefined>((resolve) => {
    settle = resolve;
  });

  consumer.on(consumer.events.GROUP_JOIN, () => {
    joined = true;
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    joined = false;
    if (payload.restart) {
      logger.warn({ err: payload.error }, 'consumer failed; restarting from the last committed offset');
      return;
    }
    running = false;
    logger.error({ err: payload.error }, 'consumer stopped: the failure is not retriable');
    settle(payload.error);
  });

  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: options.fromBeginning ?? true });
  await consumer.run({
    autoCommit: true,
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1,
    eachMessage: async ({ topic: source, partition, message, heartbeat }) => {
      const result = options.parse(message.value, message.key);
      if (!result.ok) {
        const { reason, message: why, path } = result.rejection;
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
        return;
      }
      const outcome = await options.handle(result.value, {
        topic: source,
        partition,
        offset: message.offset,
        key: message.key,
        value: message.value,
        headers: message.headers ?? {},
        timestamp: message.timestamp,
        heartbeat,
      });
      options.onProcessed?.(result.type, outcome ?? 'handled');
    },
  });
  logger.info('consuming');

  return {
    consumer,
    isRunning: () => running,
    isReady: () => running && joined,
    stopped,
    async stop() {
      if (!running) return;
      running = false;
      await consumer.disconnect();
      logger.info('stopped');
      settle(undefined);
    },
  };
}
