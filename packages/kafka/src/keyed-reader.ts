import { randomBytes } from 'node:crypto';
import { Partitioners, type Kafka, type PartitionMetadata } from 'kafkajs';
import { TactfulError } from '@tactful/events';

export interface KeyedReadOptions {
  readonly kafka: Kafka;
  readonly topic: string;
  /** The message key to read (a customer id): every message with it is on one partition. */
  readonly key: string;
  /** The newest messages kept. */
  readonly limit: number;
  /** Consumer groups of the read are named `<groupPrefix>.read-<random>` and deleted afterwards. */
  readonly groupPrefix: string;
  /** Gives up after this long (default 30 s). */
  readonly timeoutMs?: number;
}

/** Pure. The partition kafkajs's default partitioner (Java's murmur2) sends `key` to. */
export function partitionForKey(topic: string, partitions: number, key: string): number {
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId): PartitionMetadata => ({
    partitionId,
    leader: 0,
    replicas: [0],
    isr: [0],
    partitionErrorCode: 0,
    offlineReplicas: [],
  }));
  return Partitioners.DefaultPartitioner()({ topic, partitionMetadata, message: { key, value: null } });
}

/**
 * Reads, oldest first, the newest `limit` values of the messages with `key` in `topic`, as they were when
 * the read started: the key's partition is read from its start to its end. For a person's decisions in
 * `N.audit` (`tactful explain`, the console); its cost grows with the partition, not with the customer.
 */
export async function readKeyedValues(options: KeyedReadOptions): Promise<string[]> {
  const { kafka, topic, key, limit } = options;
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `${options.groupPrefix}.read-${randomBytes(4).toString('hex')}`;
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    const partition = partitionForKey(topic, offsets.length, key);
    const end = Number(offsets.find((o) => o.partition === partition)?.high ?? 0);
    const start = Number(offsets.find((o) => o.partition === partition)?.low ?? 0);
    if (end <= start) return [];
    const found: string[] = [];
    const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1000 });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      const done = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              TactfulError.retriable(
                'kafka.unavailable',
                `reading ${topic} took over ${options.timeoutMs ?? 30_000} ms`,
              ),
            ),
          options.timeoutMs ?? 30_000,
        );
        consumer
          .run({
            autoCommit: false,
            eachBatch: async ({ batch, resolveOffset }) => {
              if (batch.partition !== partition) {
                // only the key's partition holds its messages: stop fetching the others
                consumer.pause([{ topic, partitions: [batch.partition] }]);
                return;
              }
              for (const message of batch.messages) {
                resolveOffset(message.offset);
                if (Number(message.offset) >= end) continue;
                if (message.key?.toString() === key && message.value !== null) {
                  found.push(message.value.toString());
                  if (found.length > limit) found.shift();
                }
              }
              if (Number(batch.lastOffset()) >= end - 1) {
                clearTimeout(timer);
                resolve();
              }
            },
          })
          .catch((err: unknown) => {
            clearTimeout(timer);
            reject(err instanceof Error ? err : new Error(String(err)));
          });
      });
      await done;
    } finally {
      await consumer.disconnect();
      // the group holds no offsets worth keeping (nothing is committed): leave no trace of the read
      await admin.deleteGroups([groupId]);
    }
    return found;
  } finally {
    await admin.disconnect();
  }
}
