// The transport limit of the end-to-end bench (bench/engine.ts): a kafkajs consumer that does nothing with
// what it reads, no parsing and no state.
import type { Kafka } from '@tactful/kafka';

/** Reads `topic` from the start with a fresh group until `count` messages arrived; returns events/s. */
export async function bareConsumer(
  client: Kafka,
  topic: string,
  count: number,
  { groupId, partitions }: { groupId: string; partitions: number },
): Promise<number> {
  const consumer = client.consumer({ groupId });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  let first = 0n;
  const done = new Promise<bigint>((resolve) => {
    void consumer.run({
      partitionsConsumedConcurrently: partitions,
      eachMessage: async () => {
        if (seen === 0) first = process.hrtime.bigint();
        seen += 1;
        if (seen === count) resolve(process.hrtime.bigint());
      },
    });
  });
  const end = await done;
  await consumer.disconnect();
  return count / (Number(end - first) / 1e9);
}
