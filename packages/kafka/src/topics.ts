import { topicsFor } from '@tactful/events';
import type { Admin, Kafka } from 'kafkajs';

export interface TopicResult {
  topic: string;
  created: boolean;
  partitions: number;
}

/**
 * Creates the topics that are missing and reports each one's partition count. Existing topics are left
 * alone: changing the partition count of a live topic would move customers between partitions.
 */
export async function ensureTopics(
  admin: Admin,
  topics: string[],
  partitions: number,
): Promise<TopicResult[]> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(t));
  if (missing.length > 0) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: -1 })),
    });
  }
  const metadata = await admin.fetchTopicMetadata({ topics });
  return topics.map((topic) => ({
    topic,
    created: missing.includes(topic),
    partitions: metadata.topics.find((t) => t.name === topic)?.partitions.length ?? 0,
  }));
}

/**
 * Creates the topics of a namespace (`N.events`, `N.commands`, `N.dlq`, `N.audit`) that are missing, with
 * an admin client of its own, as every service does at start and `tactful topics create` on demand.
 */
export async function ensureNamespaceTopics(
  kafka: Kafka,
  namespace: string,
  partitions: number,
): Promise<TopicResult[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await ensureTopics(admin, Object.values(topicsFor(namespace)), partitions);
  } finally {
    await admin.disconnect();
  }
}
