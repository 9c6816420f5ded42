import type { Rejection, TactfulEvent } from '@tactful/events';
import type { PublishResult } from '@tactful/events/publisher';
import { InvalidEventsError } from '@tactful/events/publisher';
import type { InputRecord } from './read-events';

/** One refused event of the input, by its line (NDJSON) or its index (an array, and NDJSON too). */
export interface InputRejection extends Rejection {
  readonly index: number;
  readonly line?: number;
  readonly id?: string;
}

export interface PublishCounts {
  readonly read: number;
  readonly sent: number;
  readonly rejected: number;
  readonly bytesRead: number;
}

export interface PublishRecordsOptions {
  /** Events per `publish` call. */
  readonly batchSize: number;
  /** `Publisher.publish`: validates the whole batch and throws `InvalidEventsError` listing the invalid ones. */
  readonly publish: (events: readonly TactfulEvent[]) => Promise<PublishResult>;
  readonly onProgress?: (counts: PublishCounts) => void;
}

export interface PublishOutcome {
  readonly counts: PublishCounts;
  readonly rejected: readonly InputRejection[];
}

/**
 * Publishes the records in batches, in input order, with one batch in flight while the next is read. A
 * batch holding invalid events is published without them (they are reported, not sent). A Kafka failure
 * stops it: the error is thrown with `sentBefore` (events already acknowledged) attached.
 */
export async function publishRecords(
  records: AsyncIterable<InputRecord>,
  options: PublishRecordsOptions,
): Promise<PublishOutcome> {
  const rejected: InputRejection[] = [];
  let read = 0;
  let sent = 0;
  let bytesRead = 0;
  const counts = (): PublishCounts => ({ read, sent, rejected: rejected.length, bytesRead });

  const sendBatch = async (batch: InputRecord[]): Promise<void> => {
    let remaining = batch;
    try {
      sent += (await options.publish(values(remaining))).ids.length;
    } catch (err) {
      if (!(err instanceof InvalidEventsError)) throw err;
      const refused = new Set<number>();
      for (const r of err.rejected) {
        const record = remaining[r.index]!;
        refused.add(r.index);
        rejected.push({
          ...r,
          index: record.index,
          ...(record.line === undefined ? {} : { line: record.line }),
        });
      }
      remaining = remaining.filter((_, i) => !refused.has(i));
      if (remaining.length > 0) sent += (await options.publish(values(remaining))).ids.length;
    }
    options.onProgress?.(counts());
  };

  // The batch in flight, settled to its error (or null) so that a failure while the next batch is being
  // read is not an unhandled rejection; it is thrown at the next await below.
  let inFlight: Promise<unknown> = Promise.resolve(null);
  const settle = async (): Promise<void> => {
    const error = await inFlight;
    if (error !== null) throw Object.assign(error as Error, { sentBefore: sent });
  };

  let batch: InputRecord[] = [];
  for await (const record of records) {
    read += 1;
    bytesRead = record.bytesRead;
    if (record.rejection !== undefined) {
      rejected.push({
        index: record.index,
        ...(record.line === undefined ? {} : { line: record.line }),
        ...record.rejection,
      });
      continue;
    }
    batch.push(record);
    if (batch.length >= options.batchSize) {
      await settle();
      const full = batch;
      batch = [];
      inFlight = sendBatch(full).then(
        () => null,
        (err: unknown) => err,
      );
    }
  }
  await settle();
  if (batch.length > 0) {
    inFlight = sendBatch(batch).then(
      () => null,
      (err: unknown) => err,
    );
    await settle();
  }
  rejected.sort((a, b) => a.index - b.index);
  options.onProgress?.(counts());
  return { counts: counts(), rejected };
}

// The publisher validates each value before anything is sent, so handing it unchecked JSON is safe.
function values(batch: readonly InputRecord[]): TactfulEvent[] {
  return batch.map((record) => record.value as TactfulEvent);
}
