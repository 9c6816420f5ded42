import type { Admin, Kafka } from '@tactful/kafka';
import { AuditRecord } from '@tactful/events';

/** Every decision on `N.audit`, by customer, as the demo reads it while the stories play. */
export interface AuditCollector {
  /** The customer's decisions so far, oldest first. */
  of(customerId: string): AuditRecord[];
  /** Waits until every decision written to the topic so far has been read. */
  caughtUp(admin: Admin, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function collectAudit(kafka: Kafka, topic: string, groupId: string): Promise<AuditCollector> {
  const byCustomer = new Map<string, AuditRecord[]>();
  const read = new Map<number, number>();
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1000 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      read.set(partition, Number(message.offset) + 1);
      const record = AuditRecord.parse(JSON.parse(message.value?.toString() ?? 'null'));
      byCustomer.set(record.customerId, [...(byCustomer.get(record.customerId) ?? []), record]);
    },
  });
  return {
    of: (customerId) => byCustomer.get(customerId) ?? [],
    async caughtUp(admin, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      const ends = await admin.fetchTopicOffsets(topic);
      while (!ends.every((p) => Number(p.high) <= (read.get(p.partition) ?? 0))) {
        if (Date.now() > deadline)
          throw new Error(`the decisions on ${topic} were not read within ${timeoutMs / 1000} s`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    stop: () => consumer.disconnect(),
  };
}
