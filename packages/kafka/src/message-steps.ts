import type { EachBatchPayload, EachMessagePayload, KafkaMessage } from 'kafkajs';
import type { Logger } from '@tactful/observability';
import { TactfulError } from '@tactful/events';
import type {
  BatchOutcome,
  BatchProgress,
  MessageConsumerOptions,
  MessageMeta,
  ParsedMessage,
  RawMessage,
  RawVerdict,
} from './message-consumer';
import { failureMessage, isItemFailure, itemFailure, PROCESSING_FAILED } from './message-failure';
import { isTransientError } from './transient-error';

// The steps of `runMessageConsumer`'s loop, as kafkajs's `eachMessage` and `eachBatch`: read each message,
// dead-letter what cannot be read, hand the rest to the handler, dead-letter what the handler fails on for
// a reason of the message's own (`processing_failed`), and throw what is transient, so that kafkajs fetches
// the message again. Each callback resolves only once every message it was given was applied or
// acknowledged by the DLQ, which is when its offsets may be committed.

type Rejected<T> = Extract<ParsedMessage<T>, { ok: false }>['rejection'];
type Item<T> = { value: T; meta: MessageMeta };
type Handle<T> = NonNullable<MessageConsumerOptions<T>['handle']>;
type HandleBatch<T> = NonNullable<MessageConsumerOptions<T>['handleBatch']>;

export interface MessageStepsDeps<T> {
  readonly options: MessageConsumerOptions<T>;
  readonly logger: Logger;
  /** The logger's `component`, named in a failure's DLQ message. */
  readonly component: string;
}

/** Where one message is: its partition of its topic. */
interface Place {
  readonly topic: string;
  readonly partition: number;
}

function metaOf(place: Place, message: KafkaMessage, heartbeat: () => Promise<void>): MessageMeta {
  return {
    topic: place.topic,
    partition: place.partition,
    offset: message.offset,
    key: message.key,
    value: message.value,
    headers: message.headers ?? {},
    timestamp: message.timestamp,
    heartbeat,
  };
}

/** Writes a message to the DLQ and counts it under `type`; resolves once the DLQ has it. */
async function deadLetterOf<T>(
  deps: MessageStepsDeps<T>,
  place: Place,
  message: KafkaMessage,
  rejection: Rejected<T>,
  type = 'invalid',
): Promise<void> {
  const { reason, message: why, path } = rejection;
  const { deadLetter } = deps.options;
  if (deadLetter === undefined) {
    // another group owns this topic's dead-letter path, or it is the DLQ itself: nowhere to write it here
    deps.logger.error(
      { partition: place.partition, offset: message.offset, type, reason, problem: why },
      'not dead-lettered by this consumer; passed by',
    );
    deps.options.onProcessed?.(type, 'left_to_owner');
    return;
  }
  await deadLetter.send({
    sourceTopic: place.topic,
    partition: place.partition,
    offset: message.offset,
    key: message.key,
    value: message.value,
    headers: message.headers ?? {},
    reason,
    message: why,
    ...(path === undefined ? {} : { path }),
  });
  deps.options.onProcessed?.(type, 'dead_lettered');
}

/** The raw-bytes hook's verdict; a hook that throws (a bug) only costs the full read it would have saved. */
function screenOf<T>(deps: MessageStepsDeps<T>, place: Place, message: KafkaMessage): RawVerdict {
  const { screen } = deps.options;
  if (screen === undefined) return 'read';
  try {
    return screen({ topic: place.topic, partition: place.partition, message });
  } catch (err) {
    deps.logger.error({ offset: message.offset, err }, 'the screen threw; reading the message in full');
    return 'read';
  }
}

/** Reads a message; a parser that throws (a bug) fails the message, not the consumer. */
function parseOf<T>(deps: MessageStepsDeps<T>, message: KafkaMessage): ParsedMessage<T> {
  try {
    return deps.options.parse(message.value, message.key, message.headers ?? {});
  } catch (err) {
    deps.logger.error({ offset: message.offset, err }, 'the parser threw');
    return {
      ok: false,
      rejection: { reason: PROCESSING_FAILED, message: failureMessage(err, deps.component) },
    };
  }
}

/** Dead-letters a message whose handler failed for a reason of its own; resolves once the DLQ has it. */
async function failed<T>(
  deps: MessageStepsDeps<T>,
  place: Place,
  message: KafkaMessage,
  type: string,
  err: unknown,
): Promise<void> {
  deps.logger.error(
    { partition: place.partition, offset: message.offset, type, err },
    'handling failed; dead-lettering the message',
  );
  const rejection = { reason: PROCESSING_FAILED, message: failureMessage(err, deps.component) };
  await deadLetterOf(deps, place, message, rejection, type);
}

/** The items of one `eachBatch` call, and how far a handler finished them before it resolved. */
interface BatchRun<T> {
  readonly deps: MessageStepsDeps<T>;
  readonly handleBatch: HandleBatch<T>;
  readonly items: readonly Item<T>[];
  readonly heartbeat: () => Promise<void>;
  /** The `progress` of a call given the items from `base` on. */
  readonly progressFrom: (base: number) => BatchProgress;
  /** Items already dead-lettered through `progress.deadLetter`. */
  readonly finished: ReadonlySet<number>;
}

/**
 * The outcomes of the items from `base` (`count` of them); after a throw that is not transient, each
 * item's own, applied alone (the items already dead-lettered are left out).
 */
async function applyBatch<T>(
  run: BatchRun<T>,
  base: number,
  count: number,
): Promise<readonly BatchOutcome[]> {
  if (count === 0) return [];
  const items = run.items.slice(base, base + count);
  try {
    return await run.handleBatch(items, run.heartbeat, run.progressFrom(base));
  } catch (err) {
    if (isTransientError(err)) throw err;
    if (count === 1) return [itemFailure(err)];
    run.deps.logger.warn({ err, items: count }, 'a batch failed; applying its values one at a time');
    const outcomes: BatchOutcome[] = [];
    for (let at = base; at < base + count; at++)
      outcomes.push(...(run.finished.has(at) ? [undefined] : await applyBatch(run, at, 1)));
    return outcomes;
  }
}

/** kafkajs's `eachMessage` for a screen-only consumer: `screen` takes every message, whatever it holds. */
export function screenOnlyStep(logger: Logger, screen: (raw: RawMessage) => void) {
  return async ({ topic, partition, message }: EachMessagePayload): Promise<void> => {
    try {
      screen({ topic, partition, message });
    } catch (err) {
      // nothing to parse it with and nowhere to dead-letter it: it is passed by, as a screen-only
      // consumer's messages all are, and the consumer goes on
      logger.error({ partition, offset: message.offset, err }, 'the screen threw; passed by');
    }
  };
}

/** kafkajs's `eachMessage` for `handle`. */
export function eachMessageStep<T>(deps: MessageStepsDeps<T>, handle: Handle<T>) {
  return async ({ topic, partition, message, heartbeat }: EachMessagePayload): Promise<void> => {
    const place = { topic, partition };
    if (screenOf(deps, place, message) === 'skip') return;
    const result = parseOf(deps, message);
    if (!result.ok) return deadLetterOf(deps, place, message, result.rejection);
    let outcome: string | void;
    try {
      outcome = await handle(result.value, metaOf(place, message, heartbeat));
    } catch (err) {
      if (isTransientError(err)) throw err;
      return failed(deps, place, message, result.type, err);
    }
    deps.options.onProcessed?.(result.type, outcome ?? 'handled');
  };
}

/** kafkajs's `eachBatch` (with `eachBatchAutoResolve: false`) for `handleBatch`. */
export function eachBatchStep<T>(deps: MessageStepsDeps<T>, handleBatch: HandleBatch<T>) {
  return async (payload: EachBatchPayload) => {
    const { batch, resolveOffset, heartbeat, commitOffsetsIfNecessary } = payload;
    // a batch fetched before a rebalance or a seek: its partition is read again from the committed offset
    if (!payload.isRunning() || payload.isStale()) return;
    const place = { topic: batch.topic, partition: batch.partition };
    const items: Item<T>[] = [];
    const read: { message: KafkaMessage; type: string }[] = [];
    for (const message of batch.messages) {
      if (screenOf(deps, place, message) === 'skip') continue;
      const result = parseOf(deps, message);
      if (!result.ok) await deadLetterOf(deps, place, message, result.rejection);
      else {
        items.push({ value: result.value, meta: metaOf(place, message, heartbeat) });
        read.push({ message, type: result.type });
      }
    }
    const finished = new Set<number>();
    const at = (index: number): number => {
      if (!Number.isInteger(index) || index < 0 || index >= items.length)
        throw new TactfulError('internal', `no item ${index} in the batch of ${items.length}`);
      return index;
    };
    const progressFrom = (base: number): BatchProgress => ({
      async commitThrough(index) {
        resolveOffset(items[at(base + index)]!.meta.offset);
        await commitOffsetsIfNecessary();
      },
      async deadLetter(index, error) {
        const i = at(base + index);
        if (finished.has(i)) return;
        const { message, type } = read[i]!;
        await failed(deps, place, message, type, error);
        finished.add(i);
      },
    });
    const run = { deps, handleBatch, items, heartbeat, progressFrom, finished };
    const outcomes = await applyBatch(run, 0, items.length);
    for (const [i, { message, type }] of read.entries()) {
      if (finished.has(i)) continue;
      const outcome = outcomes[i];
      if (isItemFailure(outcome)) await failed(deps, place, message, type, outcome.failed);
      else deps.options.onProcessed?.(type, outcome ?? 'handled');
    }
    const last = batch.messages.at(-1);
    if (last !== undefined) resolveOffset(last.offset);
    await heartbeat();
  };
}
