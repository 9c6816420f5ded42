import { createHash } from 'node:crypto';
import { CompressionTypes, type IHeaders, type Message, type Producer } from 'kafkajs';
import type { RejectionReason } from '@tactful/events';
import { DLQ_HEADERS, TactfulError } from '@tactful/events';
import type { Logger, TactfulMetrics } from '@tactful/observability';
import { isRecordTooLarge } from './transient-error';

/** A message one consumer could not accept, with where it came from and why. */
export interface DeadLetterRecord {
  readonly sourceTopic: string;
  readonly partition: number;
  /** The offset in the source partition, as kafkajs gives it (a decimal string). */
  readonly offset: string;
  /** The original key, unchanged (null when it had none). */
  readonly key: Buffer | string | null;
  /** The original bytes, unchanged. */
  readonly value: Buffer | string | null;
  /** The original headers; kept, with the `tactful-*` ones added (replacing any of those names). */
  readonly headers?: IHeaders;
  /** The reason code: a `RejectionReason` for events; other consumers may add their own. */
  readonly reason: RejectionReason | (string & {});
  /** For people, without quoting the message's content. */
  readonly message: string;
  readonly path?: string;
}

export interface DeadLetter {
  readonly topic: string;
  /**
   * Writes the record to the DLQ and resolves once every in-sync replica has it. Throws
   * `TactfulError('dlq.write_failed', retriable)` when it could not: the caller must then not move past the
   * message (no event is lost: it is applied, a duplicate, or in the DLQ).
   */
  send(record: DeadLetterRecord): Promise<void>;
}

export interface DeadLetterDeps {
  /** Any connected producer; an idempotent one keeps a retried write from landing twice. */
  readonly producer: Pick<Producer, 'send'>;
  /** `topicsFor(namespace).dlq`. */
  readonly dlqTopic: string;
  readonly metrics: Pick<TactfulMetrics, 'dlqMessages'>;
  readonly logger: Logger;
}

/**
 * The dead-letter path every consumer shares (CONTRACT.md section 2: `N.dlq`). Copies are written with
 * gzip, so a value the source topic took compressed fits again. One the broker still refuses as too
 * large is written without its value (`tactful-dropped: value`, with its size and SHA-256), and if even
 * that is refused, without its key and original headers too: a dead letter never blocks its partition.
 */
export function createDeadLetter(deps: DeadLetterDeps): DeadLetter {
  const logger = deps.logger.child({ component: 'dead-letter' });
  const write = async (message: Message): Promise<void> => {
    await deps.producer.send({
      topic: deps.dlqTopic,
      acks: -1,
      compression: CompressionTypes.GZIP,
      messages: [message],
    });
  };
  return {
    topic: deps.dlqTopic,
    async send(record) {
      const where = { sourceTopic: record.sourceTopic, partition: record.partition, offset: record.offset };
      const copies = dlqCopies(record);
      let written: (typeof copies)[number] | undefined;
      for (const copy of copies) {
        try {
          await write(copy.message);
          written = copy;
          break;
        } catch (err) {
          if (isRecordTooLarge(err) && copy !== copies.at(-1)) {
            logger.warn({ ...where, dropped: copy.dropped }, 'the broker refused the copy as too large');
            continue;
          }
          logger.error({ ...where, reason: record.reason, err }, 'could not write to the dead-letter topic');
          throw TactfulError.retriable(
            'dlq.write_failed',
            `could not write ${record.sourceTopic}[${record.partition}]@${record.offset} to ${deps.dlqTopic}: ${(err as Error).message}`,
            err,
          );
        }
      }
      deps.metrics.dlqMessages.inc({ source_topic: record.sourceTopic, reason: record.reason });
      logger.warn(
        {
          ...where,
          reason: record.reason,
          path: record.path,
          why: record.message,
          dropped: written?.dropped,
        },
        'dead-lettered',
      );
    },
  };
}

/** What a copy left out of the original message: nothing, its value, or its value, key and headers. */
export type DlqDropped = 'value' | 'value,key,headers' | undefined;

/**
 * Pure. The copies of a record to try in turn while the broker refuses them as too large: whole; without
 * the value; without the value, the key and the original headers. The last two say what they left out
 * (`tactful-dropped`) and identify the value by its size and SHA-256. A record without a value has one.
 */
export function dlqCopies(record: DeadLetterRecord): { message: Message; dropped: DlqDropped }[] {
  const headers = dlqHeaders(record);
  const whole = { message: { key: record.key, value: record.value, headers }, dropped: undefined };
  if (record.value === null) return [whole];
  const value = typeof record.value === 'string' ? Buffer.from(record.value, 'utf8') : record.value;
  const identity = {
    [DLQ_HEADERS.originalBytes]: String(value.byteLength),
    [DLQ_HEADERS.originalSha256]: createHash('sha256').update(value).digest('hex'),
  };
  const own = dlqHeaders({ ...record, headers: {} });
  return [
    whole,
    {
      message: {
        key: record.key,
        value: null,
        headers: { ...headers, ...identity, [DLQ_HEADERS.dropped]: 'value' },
      },
      dropped: 'value',
    },
    {
      message: {
        key: null,
        value: null,
        headers: { ...own, ...identity, [DLQ_HEADERS.dropped]: 'value,key,headers' },
      },
      dropped: 'value,key,headers',
    },
  ];
}

/** Pure. The original headers with the `tactful-*` headers of CONTRACT.md section 2 added. */
export function dlqHeaders(record: DeadLetterRecord): IHeaders {
  const headers: IHeaders = { ...record.headers };
  // a copy of a dead letter (a replay gone wrong) must not carry the first copy's marks of what it dropped
  for (const name of [DLQ_HEADERS.dropped, DLQ_HEADERS.originalBytes, DLQ_HEADERS.originalSha256])
    delete headers[name];
  headers[DLQ_HEADERS.error] = record.reason;
  headers[DLQ_HEADERS.errorMessage] = record.message;
  headers[DLQ_HEADERS.sourceTopic] = record.sourceTopic;
  headers[DLQ_HEADERS.sourcePartition] = String(record.partition);
  headers[DLQ_HEADERS.sourceOffset] = record.offset;
  if (record.path === undefined) delete headers[DLQ_HEADERS.errorPath];
  else headers[DLQ_HEADERS.errorPath] = record.path;
  return headers;
}
