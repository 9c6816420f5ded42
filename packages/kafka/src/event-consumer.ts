import type { Consumer, ConsumerConfig, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import type { RejectionReason, TactfulEvent } from '@tactful/events';
import { parseEvent, TactfulError } from '@tactful/events';
import type { Logger, TactfulMetrics } from '@tactful/observability';
import type { DeadLetter } from './dead-letter';

/** Where an event came from, for handlers that log or record it. */
export interface EventMeta {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly headers: IHeaders;
  /** The Kafka timestamp (ms since the epoch, as a decimal string). */
  readonly timestamp: string;
}

export interface EventConsumerOptions {
  readonly kafka: Kafka;
  readonly groupId: string;
  readonly topic: string;
  /** Accept `timer.fired`: only the orchestrator, which reads its own timers back, sets it. */
  readonly allowInternal?: boolean;
  /** Largest value accepted (default `DEFAULT_MAX_EVENT_BYTES`); larger ones are dead-lettered as too_large. */
  readonly maxBytes?: number;
  /**
   * Applies one event. The offset is committed only after it resolves. What it resolves to is the
   * `outcome` label of `tactful_events_processed_total` (default `handled`). A throw is never swallowed:
   * the consumer does not move past the event (see `runEventConsumer`).
   */
  readonly handle?: (event: TactfulEvent, meta: EventMeta) => Promise<string | void>;
  /**
   * Instead of `handle`: applies the valid events of one fetched batch of one partition, in partition order
   * (invalid ones are already in the DLQ), and resolves with an outcome per event. The batch's offsets are
   * committed only after it resolves; a throw re-reads the whole batch. `heartbeat` keeps the membership
   * alive during a long batch.
   */
  readonly handleBatch?: (
    items: readonly { event: TactfulEvent; meta: EventMeta }[],
    heartbeat: () => Promise<void>,
  ) => Promise<readonly (string | void)[]>;
  readonly deadLetter: DeadLetter;
  readonly logger: Logger;
  readonly metrics?: Pick<TactfulMetrics, 'eventsProcessed'>;
  /** Where a group with no committed offset starts. Default true: a new group must not skip events. */
  readonly fromBeginning?: boolean;
  /** Partitions handled at once; one customer is always on one partition, so order per customer holds. */
  readonly partitionsConsumedConcurrently?: number;
  /** Timings (session timeout, heartbeats, fetch wait) and retries of the kafkajs consumer; tests shrink them. */
  readonly consumerConfig?: Omit<ConsumerConfig, 'groupId'>;
}

export interface EventConsumer {
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
 * Consumes `topic` for one service: each message is read with `parseEvent`; a rejected one goes to the DLQ
 * with its reason and the consumer moves on; a valid one is handed to `handle`.
 *
 * Offsets: kafkajs `eachMessage` with auto-commit, which resolves a message's offset only after our callback
 * returns and commits only resolved offsets. So an offset is committed only once `handle` resolved or the DLQ
 * acknowledged the message. When either throws (the DLQ unreachable, Redis down), the offsets before it are
 * committed, this one is not, and kafkajs fetches it again after a backoff; a retriable error (a
 * `TactfulError` with `retriable`, a kafkajs network error, any error not marked `retriable: false`) is
 * retried until it succeeds, restarting the consumer when the retries of `consumerConfig.retry` are spent.
 * An error marked `retriable: false` stops the consumer: `stopped` resolves with it and the service
 * should exit with the reason.
 */
export async function runEventConsumer(options: EventConsumerOptions): Promise<EventConsumer> {
  const { topic, deadLetter, metrics, handle, handleBatch } = options;
  if ((handle === undefined) === (handleBatch === undefined))
    throw new TactfulError('internal', 'runEventConsumer needs exactly one of handle and handleBatch');
  const logger = options.logger.child({ component: 'event-consumer', topic, groupId: options.groupId });
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

  const parse = (message: KafkaMessage) =>
    parseEvent(message.value, message.key, {
      allowInternal: options.allowInternal ?? false,
      ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
    });
  const metaOf = (source: string, partition: number, message: KafkaMessage): EventMeta => ({
    topic: source,
    partition,
    offset: message.offset,
    key: message.key,
    headers: message.headers ?? {},
    timestamp: message.timestamp,
  });
  /** Writes a rejected message to the DLQ; resolves once the DLQ acknowledged it. */
  const deadLetterOf = async (
    source: string,
    partition: number,
    message: KafkaMessage,
    rejection: { reason: RejectionReason; message: string; path?: string },
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
    metrics?.eventsProcessed.inc({ type: 'invalid', outcome: 'dead_lettered' });
  };

  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: options.fromBeginning ?? true });
  const partitionsConsumedConcurrently = options.partitionsConsumedConcurrently ?? 1;
  if (handleBatch !== undefined) {
    await consumer.run({
      autoCommit: true,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently,
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        const items: { event: TactfulEvent; meta: EventMeta }[] = [];
        for (const message of batch.messages) {
          const result = parse(message);
          if (result.ok)
            items.push({ event: result.event, meta: metaOf(batch.topic, batch.partition, message) });
          else await deadLetterOf(batch.topic, batch.partition, message, result.rejection);
        }
        const outcomes = items.length === 0 ? [] : await handleBatch(items, heartbeat);
        items.forEach(({ event }, i) =>
          metrics?.eventsProcessed.inc({ type: event.type, outcome: outcomes[i] ?? 'handled' }),
        );
        const last = batch.messages.at(-1);
        if (last !== undefined) resolveOffset(last.offset);
        await heartbeat();
      },
    });
  } else if (handle !== undefined) {
    await consumer.run({
      autoCommit: true,
      partitionsConsumedConcurrently,
      eachMessage: async ({ topic: source, partition, message }) => {
        const result = parse(message);
        if (!result.ok) {
          await deadLetterOf(source, partition, message, result.rejection);
          return;
        }
        const { event } = result;
        const outcome = await handle(event, metaOf(source, partition, message));
        metrics?.eventsProcessed.inc({ type: event.type, outcome: outcome ?? 'handled' });
      },
    });
  }
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
