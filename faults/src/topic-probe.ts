import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import { readGroupPosition, readLogEnds, unreadMessages } from '@tactful/kafka';

// What a scenario reads of Kafka from the outside, with admin calls and a reader of its own: how far a
// consumer group is behind, how many messages a topic holds, and every message of a topic.

/** Messages a topic holds: log end minus log start, summed over partitions (nothing is compacted). */
export async function topicSize(admin: Admin, topic: string): Promise<number> {
  const ends = await readLogEnds(admin, [topic]);
  return [...ends.values()].reduce((sum, p) => sum + p.high - p.low, 0);
}

/** Messages a consumer group has not committed past on a topic (a partition never committed counts whole). */
export async function groupLag(admin: Admin, groupId: string, topic: string): Promise<number> {
  const { committed, ends } = await readGroupPosition(admin, groupId, [topic]);
  return unreadMessages(committed, ends);
}

/** Every message a topic holds now, read in a group of its own (deleted afterwards). */
export async function readTopic(
  kafka: Kafka,
  admin: Admin,
  topic: string,
  groupId: string,
  timeoutMs = 180_000,
): Promise<KafkaMessage[]> {
  const ends = await admin.fetchTopicOffsets(topic);
  const remaining = new Map(
    ends.filter((p) => Number(p.high) > Number(p.low)).map((p) => [p.partition, Number(p.high)]),
  );
  const messages: KafkaMessage[] = [];
  if (remaining.size === 0) return messages;
  const consumer = kafka.consumer({ groupId, maxBytesPerPartition: 4 * 1024 * 1024 });
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`read ${messages.length} messages of ${topic}, not all, in ${timeoutMs} ms`)),
        timeoutMs,
      );
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      consumer.on(consumer.events.CRASH, (e) => {
        clearTimeout(timer);
        reject(e.payload.error);
      });
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            const end = remaining.get(partition);
            if (end === undefined || Number(message.offset) >= end) return;
            messages.push(message);
            if (Number(message.offset) === end - 1) remaining.delete(partition);
            if (remaining.size === 0) done();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  await admin.deleteGroups([groupId]);
  return messages;
}
