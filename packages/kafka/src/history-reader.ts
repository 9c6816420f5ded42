import type { Kafka, KafkaMessage } from 'kafkajs';
import { TactfulError } from '@tactful/events';

// Reads a stretch of a topic's history, for a dry run: from the first message at or after a time (the
// broker's time index, `fetchTopicOffsetsByTimestamp`) to the end each partition had when the read began.
// kafkajs reads only as a member of a consumer group, so the read uses a group of its own that no
// service shares, never commits an offset (nothing records where it got to, and no service's position
// moves), and is deleted when the read ends.

export interface HistoryRange {
  readonly partition: number;
  /** The first offset read. */
  readonly from: number;
  /** One past the last offset read: the partition's end when the read began. */
  readonly to: number;
}

export interface ReadHistoryOptions {
  readonly kafka: Kafka;
  readonly topic: string;
  /** A group id no service uses (the read joins it alone, never commits, and deletes it at the end). */
  readonly groupId: string;
  /** Epoch ms: read from the first message at or after it; absent, from the oldest message retained. */
  readonly since?: number;
  /** Each batch of one partition, in offset order; the read waits for it. */
  readonly onBatch: (messages: readonly KafkaMessage[], partition: number) => void | Promise<void>;
  /** Messages read so far, of how many. */
  readonly onProgress?: (read: number, total: number) => void;
}

export interface HistoryRead {
  readonly ranges: readonly HistoryRange[];
  readonly total: number;
}

/** Where the read starts and stops on each partition, and how many messages that is. */
export async function historyRanges(
  kafka: Kafka,
  topic: string,
  since: number | undefined,
): Promise<HistoryRead> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const starts = since === undefined ? undefined : await admin.fetchTopicOffsetsByTimestamp(topic, since);
    const ranges = ends
      .map(({ partition, low, high }) => {
        const start = starts?.find((s) => s.partition === partition)?.offset ?? low;
        return { partition, from: Math.max(Number(start), Number(low)), to: Number(high) };
      })
      .sort((a, b) => a.partition - b.partition);
    return { ranges, total: ranges.reduce((sum, r) => sum + Math.max(0, r.to - r.from), 0) };
  } finally {
    await admin.disconnect();
  }
}

/** Reads the topic's history from `since` to its end at the start of the read; resolves when all was read. */
export async function readHistory(options: ReadHistoryOptions): Promise<HistoryRead> {
  const { kafka, topic, groupId } = options;
  const history = await historyRanges(kafka, topic, options.since);
  const pending = new Map(history.ranges.filter((r) => r.to > r.from).map((r) => [r.partition, r]));
  if (pending.size === 0) return history;
  let read = 0;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxBytes: 16 * 1024 * 1024 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    const finished = new Promise<void>((resolve, reject) => {
      consumer.on(consumer.events.CRASH, (event) =>
        reject(
          TactfulError.retriable(
            'kafka.unavailable',
            `reading ${topic}: ${event.payload.error.message}`,
            event.payload.error,
          ),
        ),
      );
      void consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const range = pending.get(batch.partition);
            if (range === undefined) return;
            const wanted = batch.messages.filter((m) => {
              const offset = Number(m.offset);
              return offset >= range.from && offset < range.to;
            });
            if (wanted.length > 0) {
              await options.onBatch(wanted, batch.partition);
              read += wanted.length;
              options.onProgress?.(read, history.total);
            }
            if (Number(batch.lastOffset()) >= range.to - 1) {
              pending.delete(batch.partition);
              consumer.pause([{ topic, partitions: [batch.partition] }]);
              if (pending.size === 0) resolve();
            }
          },
        })
        .then(() => {
          for (const range of pending.values())
            consumer.seek({ topic, partition: range.partition, offset: String(range.from) });
        }, reject);
    });
    await finished;
    return history;
  } finally {
    await consumer.disconnect();
    await deleteGroup(kafka, groupId);
  }
}

async function deleteGroup(kafka: Kafka, groupId: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteGroups([groupId]);
  } catch (err) {
    // a group with no member and no committed offset may already be gone: that is the goal
    const groups = (err as { groups?: { errorCode?: number; error?: { type?: string } }[] }).groups;
    const gone = groups?.every((g) => g.error?.type === 'GROUP_ID_NOT_FOUND') ?? false;
    if (!gone) throw err;
  } finally {
    await admin.disconnect();
  }
}
