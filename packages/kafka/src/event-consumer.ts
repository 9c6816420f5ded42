import type { ConsumerConfig, IHeaders, Kafka } from 'kafkajs';
import type { TactfulEvent } from '@tactful/events';
import { fromScheduler, ORIGIN_HEADER, parseEvent, SCHEDULER_ORIGIN, TactfulError } from '@tactful/events';
import type { Logger, TactfulMetrics } from '@tactful/observability';
import type { DeadLetter } from './dead-letter';
import {
  runMessageConsumer,
  type BatchOutcome,
  type BatchProgress,
  type MessageMeta,
  type RunningConsumer,
} from './message-consumer';

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
  /**
   * Accept `timer.fired` carrying `tactful-origin: scheduler` (the timer service's mark); without the mark
   * it is still `internal_type`. Only the orchestrator, which reads its own timers back, sets it.
   */
  readonly allowInternal?: boolean;
  /** Largest value accepted (default `DEFAULT_MAX_EVENT_BYTES`); larger ones are dead-lettered as too_large. */
  readonly maxBytes?: number;
  /**
   * Applies one event. The offset is committed only after it resolves. What it resolves to is the
   * `outcome` label of `tactful_events_processed_total` (default `handled`). A transient throw is retried
   * from the same event; any other dead-letters it as `processing_failed` (see `runMessageConsumer`).
   */
  readonly handle?: (event: TactfulEvent, meta: EventMeta) => Promise<string | void>;
  /**
   * Instead of `handle`: applies the valid events of one fetched batch of one partition, in partition order
   * (invalid ones are already in the DLQ), and resolves with an outcome per event, or an `itemFailure` for
   * one it could not apply (see `runMessageConsumer`). The batch's offsets are committed only after it
   * resolves, or as far as `progress.commitThrough` moved them; a transient throw re-reads the batch from
   * the last offset committed. `heartbeat` keeps the membership alive during a long batch; `progress`
   * commits and dead-letters before the end (`BatchProgress`).
   */
  readonly handleBatch?: (
    items: readonly { event: TactfulEvent; meta: EventMeta }[],
    heartbeat: () => Promise<void>,
    progress: BatchProgress,
  ) => Promise<readonly BatchOutcome[]>;
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

export type EventConsumer = RunningConsumer;

/** Pure. The part of a message's origin an event handler is given. */
function eventMetaOf(meta: MessageMeta): EventMeta {
  return {
    topic: meta.topic,
    partition: meta.partition,
    offset: meta.offset,
    key: meta.key,
    headers: meta.headers,
    timestamp: meta.timestamp,
  };
}

/**
 * Consumes `topic` for one service: `runMessageConsumer` with `parseEvent` as the parser. Each message is
 * read with `parseEvent`; a rejected one goes to the DLQ with its reason and the consumer moves on; a valid
 * one is handed to `handle` (or, with its batch, to `handleBatch`). A handler's error that is not
 * transient dead-letters its event (`processing_failed`); a transient one is retried from the same event,
 * never moving past it. Offsets are committed only once the handler resolved or the DLQ acknowledged.
 */
export async function runEventConsumer(options: EventConsumerOptions): Promise<EventConsumer> {
  const { metrics, handle, handleBatch } = options;
  if ((handle === undefined) === (handleBatch === undefined))
    throw new TactfulError('internal', 'runEventConsumer needs exactly one of handle and handleBatch');
  // built once: every message of the consumer is read with the same limits
  const parseOptions = {
    allowInternal: options.allowInternal ?? false,
    ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
  };
  return runMessageConsumer<TactfulEvent>({
    kafka: options.kafka,
    groupId: options.groupId,
    topic: options.topic,
    component: 'event-consumer',
    parse: (value, key, headers) => {
      const internal = parseOptions.allowInternal && fromScheduler(headers);
      const result = parseEvent(value, key, { ...parseOptions, allowInternal: internal });
      if (result.ok) return { ok: true, value: result.event, type: result.event.type };
      if (result.rejection.reason !== 'internal_type' || !parseOptions.allowInternal) return result;
      const message = `${result.rejection.message}: it lacks the ${ORIGIN_HEADER}: ${SCHEDULER_ORIGIN} header of the timer service`;
      return { ok: false, rejection: { ...result.rejection, message } };
    },
    handle: handle && ((event, meta) => handle(event, eventMetaOf(meta))),
    handleBatch:
      handleBatch &&
      ((items, heartbeat, progress) =>
        handleBatch(
          items.map(({ value, meta }) => ({ event: value, meta: eventMetaOf(meta) })),
          heartbeat,
          progress,
        )),
    deadLetter: options.deadLetter,
    logger: options.logger,
    onProcessed: metrics && ((type, outcome) => metrics.eventsProcessed.inc({ type, outcome })),
    fromBeginning: options.fromBeginning,
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently,
    consumerConfig: options.consumerConfig,
  });
}
