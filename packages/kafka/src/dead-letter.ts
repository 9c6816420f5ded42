import type { IHeaders, Producer } from 'kafkajs';
import type { RejectionReason } from '@tactful/events';
import { DLQ_HEADERS, TactfulError } from '@tactful/events';
import type { Logger, TactfulMetrics } from '@tactful/observability';

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

/** The dead-letter path every consumer shares (CONTRACT.md section 2: `N.dlq`). */
export function createDeadLetter(deps: DeadLetterDeps): DeadLetter {
  const logger = deps.logger.child({ component: 'dead-letter' });
  return {
    topic: deps.dlqTopic,
    async send(record) {
      const where = { sourceTopic: record.sourceTopic, partition: record.partition, offset: record.offset };
      try {
        await deps.producer.send({
          topic: deps.dlqTopic,
          acks: -1,
          messages: [{ key: record.key, value: record.value, headers: dlqHeaders(record) }],
        });
      } catch (err) {
        logger.error({ ...where, reason: record.reason, err }, 'could not write to the dead-letter topic');
        throw new TactfulError(
          'dlq.write_failed',
          `could not write ${record.sourceTopic}[${record.partition}]@${record.offset} to ${deps.dlqTopic}: ${(err as Error).message}`,
          { retriable: true, cause: err },
        );
      }
      deps.metrics.dlqMessages.inc({ source_topic: record.sourceTopic, reason: record.reason });
      logger.warn(
        { ...where, reason: record.reason, path: record.path, why: record.message },
        'dead-lettered',
      );
    },
  };
}

/** Pure. The original headers with the `tactful-*` headers of CONTRACT.md section 2 added. */
export function dlqHeaders(record: DeadLetterRecord): IHeaders {
  const headers: IHeaders = { ...record.headers };
  headers[DLQ_HEADERS.error] = record.reason;
  headers[DLQ_HEADERS.errorMessage] = record.message;
  headers[DLQ_HEADERS.sourceTopic] = record.sourceTopic;
  headers[DLQ_HEADERS.sourcePartition] = String(record.partition);
  headers[DLQ_HEADERS.sourceOffset] = record.offset;
  if (record.path === undefined) delete headers[DLQ_HEADERS.errorPath];
  else headers[DLQ_HEADERS.errorPath] = record.path;
  return headers;
}
