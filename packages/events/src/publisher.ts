import { Kafka, logLevel, Partitioners, type Producer, type RetryOptions } from 'kafkajs';
import type { EncodedEvent } from './cloud-event';
import { TactfulError } from './errors';
import type { EventRejection } from './prepare-event';
import { prepareBatch } from './prepare-event';
import type { TactfulEvent } from './tactful-event';
import { topicsFor } from './topics';
import { chunks } from './produce-chunks';

export { chunks, messageBytes } from './produce-chunks';

// The one module of this package that talks to Kafka, for upstream systems that install only
// @tactful/events. It is a subpath export (`@tactful/events/publisher`) so that importing the schemas
// never loads a Kafka client.

/** The subset of a pino logger the publisher writes to; any logger with these methods will do. */
export interface PublisherLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface PublisherOptions {
  /** `TACTFUL_NAMESPACE` of the deployment: events go to `<namespace>.events`. */
  readonly namespace: string;
  /** Bootstrap servers (`KAFKA_BROKERS`), when the publisher makes its own client. */
  readonly brokers?: readonly string[];
  /** Default `tactful-publisher`. */
  readonly clientId?: string;
  /** A kafkajs client of your own (TLS, SASL, a socket factory, ...); `brokers` and `clientId` are then unused. */
  readonly kafka?: Kafka;
  readonly logger?: PublisherLogger;
  /** Retries of the client the publisher makes; a send fails once they are spent. */
  readonly retry?: RetryOptions;
  /** The most events one produce call carries. Default 10,000. */
  readonly maxBatchEvents?: number;
  /**
   * The most bytes (keys, values, headers and per-record overhead) one produce call carries. Kafka refuses a
   * record batch for one partition over its `message.max.bytes` (1 MB by default), and one customer's events
   * all land on one partition, so the default (900,000) keeps every call under that limit.
   */
  readonly maxBatchBytes?: number;
}

export interface PublishResult {
  /** The ids of the events written, in the order given. */
  readonly ids: string[];
}

export interface Publisher {
  /**
   * Validates every event, then writes them to `N.events`, keyed by customer (`subject`), each one
   * acknowledged by every in-sync replica when this resolves. If any event is invalid (or is `timer.fired`,
   * which only Tactful writes) nothing is sent and it throws an `InvalidEventsError` listing each one.
   * A failed send throws `TactfulError('kafka.unavailable')`; some events of a large batch may already
   * be written then, and publishing the batch again is safe: consumers drop an event whose id they have seen.
   */
  publish(events: TactfulEvent | readonly TactfulEvent[]): Promise<PublishResult>;
  /**
   * Connects now rather than at the first `publish`, so a service fails at start when Kafka is away.
   * Throws `TactfulError('kafka.unavailable')`.
   */
  connect(): Promise<void>;
  /** Waits for sends in flight and disconnects. */
  close(): Promise<void>;
}

/** `TactfulError('event.invalid')` that lists every refused event of a `publish` call. */
export class InvalidEventsError extends TactfulError {
  readonly rejected: readonly EventRejection[];

  constructor(rejected: readonly EventRejection[], total: number) {
    // a schema violation's message already names its path
    const shown = rejected
      .slice(0, 10)
      .map((r) => `  - #${r.index}${r.id === undefined ? '' : ` (${r.id})`}: ${r.reason}: ${r.message}`);
    const more = rejected.length > shown.length ? `\n  (and ${rejected.length - shown.length} more)` : '';
    super(
      'event.invalid',
      `${rejected.length} of ${total} events are invalid, nothing was sent:\n${shown.join('\n')}${more}`,
    );
    this.name = 'InvalidEventsError';
    this.rejected = rejected;
  }
}

export const DEFAULT_MAX_BATCH_EVENTS = 10_000;
export const DEFAULT_MAX_BATCH_BYTES = 900_000;
// Kafka's record format adds a few dozen bytes per record (lengths, offsets, timestamps, header names).

/** A publisher for `namespace`. It connects on the first `publish`. */
export function createPublisher(options: PublisherOptions): Publisher {
  const topic = topicsFor(options.namespace).events;
  const { logger } = options;
  const maxEvents = options.maxBatchEvents ?? DEFAULT_MAX_BATCH_EVENTS;
  const maxBytes = options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES;
  const kafka = options.kafka ?? ownClient(options);
  // One request in flight, so a retry never reorders the events of one customer. Not kafkajs's
  // idempotent producer: it needs unlimited retries (it warns "Limiting retries for the idempotent
  // producer may invalidate EoS guarantees"), and a publisher must give up and throw; a repeat that a
  // retry writes is dropped by Tactful's consumers, which deduplicate by event id. Partitioned like Kafka's Java client (murmur2 of the
  // key), as every other writer of `N.events` is, so one customer always lands on one partition.
  const newProducer = (): ProducerSlot => ({
    producer: kafka.producer({
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      ...(options.retry ? { retry: options.retry } : {}),
    }),
  });
  let slot = newProducer();
  let closed = false;
  const inFlight = new Set<Promise<unknown>>();

  const connect = (current: ProducerSlot): Promise<void> => {
    current.connecting ??= current.producer.connect().catch((err: unknown) => {
      current.connecting = undefined; // the next publish tries again
      throw unavailable(topic, err);
    });
    return current.connecting;
  };

  // A failed producer is never used again: the next publish starts a new one on fresh connections.
  const retire = (failed: ProducerSlot): void => {
    if (slot !== failed) return;
    slot = newProducer();
    failed.producer
      .disconnect()
      .catch((err: unknown) => logger?.warn({ err }, 'could not disconnect a failed producer'));
  };

  const send = async (messages: readonly EncodedEvent[]): Promise<void> => {
    const current = slot;
    await connect(current);
    for (const chunk of chunks(messages, maxEvents, maxBytes)) {
      try {
        await current.producer.send({ topic, acks: -1, messages: chunk });
      } catch (err) {
        logger?.error({ topic, events: chunk.length, err }, 'publishing failed');
        retire(current);
        throw unavailable(topic, err);
      }
    }
  };

  return {
    async publish(input) {
      if (closed) throw new TactfulError('internal', 'the publisher is closed');
      const values: readonly unknown[] = Array.isArray(input) ? input : [input];
      const { prepared, rejected } = prepareBatch(values);
      if (rejected.length > 0) throw new InvalidEventsError(rejected, values.length);
      if (prepared.length === 0) return { ids: [] };
      const sending = send(prepared.map((p) => p.message));
      inFlight.add(sending);
      try {
        await sending;
      } finally {
        inFlight.delete(sending);
      }
      return { ids: prepared.map((p) => p.event.id) };
    },
    connect: () => connect(slot),
    async close() {
      closed = true;
      await Promise.allSettled(inFlight);
      if (slot.connecting) await slot.producer.disconnect();
    },
  };
}

interface ProducerSlot {
  readonly producer: Producer;
  /** Set once `connect` was called, cleared when it failed. */
  connecting?: Promise<void>;
}

function unavailable(topic: string, err: unknown): TactfulError {
  const retriable = (err as { retriable?: unknown } | null)?.retriable !== false;
  const why = err instanceof Error ? err.message : String(err);
  return new TactfulError('kafka.unavailable', `could not write to ${topic}: ${why}`, {
    retriable,
    cause: err,
  });
}

function ownClient(options: PublisherOptions): Kafka {
  if (options.brokers === undefined || options.brokers.length === 0) {
    throw new TactfulError('config.invalid', 'createPublisher needs `brokers` or a `kafka` client');
  }
  const { logger } = options;
  return new Kafka({
    clientId: options.clientId ?? 'tactful-publisher',
    brokers: [...options.brokers],
    ...(options.retry ? { retry: options.retry } : {}),
    logLevel: logger ? logLevel.WARN : logLevel.NOTHING,
    logCreator: () => (entry) => {
      const { message, ...fields } = entry.log;
      const line = { component: `kafkajs.${entry.namespace}`, ...fields };
      if (entry.level === logLevel.ERROR) logger?.error(line, message);
      else logger?.warn(line, message);
    },
  });
}
