import type { Consumer, ConsumerConfig, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import type { Rejection } from '@tactful/events';
import { TactfulError } from '@tactful/events';
import type { Logger } from '@tactful/observability';
import { trackConsumerLifecycle, type ConsumerLifecycle } from './consumer-lifecycle';
import type { DeadLetter } from './dead-letter';
import type { ItemFailure } from './message-failure';
import { eachBatchStep, eachMessageStep, screenOnlyStep } from './message-steps';

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

/** A message as fetched, before `parse`: what the raw-bytes hook sees. */
export interface RawMessage {
  readonly topic: string;
  readonly partition: number;
  readonly message: KafkaMessage;
}

/**
 * What the raw-bytes hook says of a message: `read` goes on to `parse` and the handler; `skip` passes it
 * by (not parsed, not handled, not dead-lettered), and its offset is committed with the others.
 */
export type RawVerdict = 'read' | 'skip';

/** Moves this member's next fetch of one partition to `offset` (a decimal string). */
export type Seek = (topic: string, partition: number, offset: string) => void;

/** What every consumer of the loop gives, whichever way it takes its messages. */
export interface ConsumerLoopOptions {
  readonly kafka: Kafka;
  readonly groupId: string;
  /** One topic, or several read by the same group and handled alike. */
  readonly topic: string | readonly string[];
  /** The logger's `component` (default `message-consumer`). */
  readonly component?: string;
  /**
   * Called on every join with the partitions this member was given (by topic), and a `seek` that moves
   * where each is read from next: for a consumer that starts elsewhere than its committed offsets.
   */
  readonly onAssigned?: (
    assignment: Readonly<Record<string, readonly number[]>>,
    seek: Seek,
  ) => Promise<void>;
  readonly logger: Logger;
  /** Where a group with no committed offset starts. Default true: a new group must not skip messages. */
  readonly fromBeginning?: boolean;
  /** Partitions handled at once; one customer is always on one partition, so order per customer holds. */
  readonly partitionsConsumedConcurrently?: number;
  /** Timings (session timeout, heartbeats, fetch wait) and retries of the kafkajs consumer; tests shrink them. */
  readonly consumerConfig?: Omit<ConsumerConfig, 'groupId'>;
}

/**
 * A consumer that takes every message from its raw bytes (the console's topic tail shows each record):
 * `screen` sees each message as fetched, and nothing is parsed, handled or dead-lettered. Each offset is
 * committed once `screen` returned; one that throws is logged and the message passed by, since there is
 * no parser to fall back on.
 */
export interface ScreenOnlyConsumerOptions extends ConsumerLoopOptions {
  readonly screen: (raw: RawMessage) => void;
  readonly parse?: never;
  readonly handle?: never;
  readonly handleBatch?: never;
  readonly deadLetter?: never;
  readonly onProcessed?: never;
}

/** A consumer that parses its messages and hands them to a handler (every consumer but a screen-only one). */
export interface MessageConsumerOptions<T> extends ConsumerLoopOptions {
  /** Pure; never throws. Reads one message; a rejection goes to the DLQ with its reason. */
  readonly parse: (value: Buffer | null, key: Buffer | null, headers: IHeaders) => ParsedMessage<T>;
  /**
   * Applies one value. The offset is committed only after it resolves; what it resolves to is the
   * `outcome` given to `onProcessed` (default `handled`). A transient error (`isTransientError`) is
   * retried from the same message; any other error dead-letters the message (`processing_failed`) and
   * the consumer goes on (see `runMessageConsumer`).
   */
  readonly handle?: (value: T, meta: MessageMeta) => Promise<string | void>;
  /**
   * Instead of `handle`: applies the valid values of one fetched batch of one partition, in partition order
   * (invalid ones are already in the DLQ), and resolves with an outcome per value, or an `itemFailure` for
   * a value it could not apply (dead-lettered as `processing_failed`, the others' outcomes standing). The
   * batch's offsets are committed only after it resolves, or as far as `progress.commitThrough` moved
   * them. A transient throw re-reads the batch from the last offset committed; any other throw makes the
   * loop apply the values again one at a time to find the failing one, so a batch handler must be
   * idempotent per value (as redelivery after a crash requires anyway). `heartbeat` keeps the membership
   * alive during a long batch; `progress` lets a handler that finishes a batch in parts commit and
   * dead-letter before the end (`BatchProgress`).
   */
  readonly handleBatch?: (
    items: readonly { value: T; meta: MessageMeta }[],
    heartbeat: () => Promise<void>,
    progress: BatchProgress,
  ) => Promise<readonly BatchOutcome[]>;
  /**
   * Where a message that cannot be read or applied goes. Left out only by a consumer of a topic whose
   * dead-letter path another group owns (the orchestrator's for `N.events`), or that is a dead-letter
   * topic itself: such a message is then logged and passed by, counted as `left_to_owner`.
   */
  readonly deadLetter?: DeadLetter;
  /**
   * The raw-bytes hook: sees every message as fetched, before `parse`, and may pass it by (`RawVerdict`)
   * for a consumer that decides from the bytes alone, or only shows what it reads. It runs inline for every
   * message, so it must be quick; one that throws reads the message in full.
   */
  readonly screen?: (raw: RawMessage) => RawVerdict;
  /** Called once per message finished with: its type (`invalid` when unreadable) and outcome. */
  readonly onProcessed?: (type: string, outcome: string) => void;
}

/** What a batch handler says of one value: its outcome label (default `handled`), or why it failed. */
export type BatchOutcome = string | void | ItemFailure;

/**
 * What a batch handler may do before it resolves, for a batch it finishes in parts. Indexes are those of
 * the items the handler was given.
 */
export interface BatchProgress {
  /**
   * Commits the offsets up to and including item `index` at once, so that progress is kept (and
   * visible) before the batch ends; the items after it are read again after a crash. An item among
   * them that failed must already be in the DLQ (`deadLetter`): once its offset is committed, nothing
   * would read it again.
   */
  commitThrough(index: number): Promise<void>;
  /**
   * Dead-letters item `index` as `processing_failed` now, resolving once the DLQ has it: for a handler
   * whose later work must not go past a failed item before the item is safe in the DLQ. Its outcome is
   * then `itemFailure(error)`; the loop does not dead-letter it twice.
   */
  deadLetter(index: number, error: unknown): Promise<void>;
}

export interface RunningConsumer extends ConsumerLifecycle {
  readonly consumer: Consumer;
}

/**
 * The consumer loop every Tactful consumer of one topic shares: each message is read with `parse`; a
 * rejected one goes to the DLQ with its reason and the consumer moves on; a valid one is handed to `handle`
 * (or, with its batch, to `handleBatch`). A screen-only consumer (`ScreenOnlyConsumerOptions`) gives each
 * message to its `screen` alone.
 *
 * No single message stops it: a handler's error that is not transient (`isTransientError`: a RangeError,
 * a TypeError, a zod error, a non-retriable `TactfulError`) dead-letters that message as
 * `processing_failed` and the consumer goes on. A transient one (a retriable `TactfulError`, kafkajs's
 * connection and cluster errors, Redis and socket errors) is thrown to kafkajs, which fetches the message
 * again after a backoff, restarting the consumer when the retries of `consumerConfig.retry` are spent.
 *
 * Offsets: kafkajs auto-commit, which commits only resolved offsets. With `handle` (`eachMessage`) a
 * message's offset is resolved only after our callback returns; with `handleBatch` (`eachBatch`, no
 * auto-resolve) the batch's last offset is resolved only after every value was applied or dead-lettered,
 * or earlier by the handler's `commitThrough`, once every value up to it was. So an offset is committed
 * only once its handler resolved or the DLQ acknowledged the message.
 */
export function runMessageConsumer(options: ScreenOnlyConsumerOptions): Promise<RunningConsumer>;
export function runMessageConsumer<T>(options: MessageConsumerOptions<T>): Promise<RunningConsumer>;
export async function runMessageConsumer<T>(
  options: MessageConsumerOptions<T> | ScreenOnlyConsumerOptions,
): Promise<RunningConsumer> {
  if (!isScreenOnly(options) && (options.handle === undefined) === (options.handleBatch === undefined))
    throw new TactfulError('internal', 'runMessageConsumer needs exactly one of handle and handleBatch');
  const { topic } = options;
  const component = options.component ?? 'message-consumer';
  const topics = typeof topic === 'string' ? [topic] : topic;
  const logger = options.logger.child({
    component,
    topic: typeof topic === 'string' ? topic : topics.join(','),
    groupId: options.groupId,
  });
  const consumer = options.kafka.consumer({ ...options.consumerConfig, groupId: options.groupId });
  const lifecycle = trackConsumerLifecycle(consumer, logger);
  const { onAssigned } = options;
  if (onAssigned !== undefined)
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      const seek: Seek = (t, partition, offset) => consumer.seek({ topic: t, partition, offset });
      onAssigned(payload.memberAssignment, seek).catch((err: unknown) => {
        // the consumer then reads from its committed offsets, as it would without the hook
        logger.warn({ err }, 'the assignment hook failed');
      });
    });

  await consumer.connect();
  await consumer.subscribe({ topics: [...topics], fromBeginning: options.fromBeginning ?? true });
  const partitionsConsumedConcurrently = options.partitionsConsumedConcurrently ?? 1;
  if (isScreenOnly(options))
    await consumer.run({
      autoCommit: true,
      partitionsConsumedConcurrently,
      eachMessage: screenOnlyStep(logger, options.screen),
    });
  else if (options.handleBatch !== undefined)
    await consumer.run({
      autoCommit: true,
      eachBatchAutoResolve: false,
      // `commitOffsetsIfNecessary()` commits whatever was resolved, so `commitThrough` commits at once
      autoCommitThreshold: 1,
      partitionsConsumedConcurrently,
      eachBatch: eachBatchStep({ options, logger, component }, options.handleBatch),
    });
  else if (options.handle !== undefined)
    await consumer.run({
      autoCommit: true,
      partitionsConsumedConcurrently,
      eachMessage: eachMessageStep({ options, logger, component }, options.handle),
    });
  logger.info('consuming');

  return { consumer, ...lifecycle };
}

/** Whether the options are of a screen-only consumer: one that gives no parser. */
function isScreenOnly<T>(
  options: MessageConsumerOptions<T> | ScreenOnlyConsumerOptions,
): options is ScreenOnlyConsumerOptions {
  return options.parse === undefined;
}
