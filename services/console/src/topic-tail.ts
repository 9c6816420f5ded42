import {
  runMessageConsumer,
  type Admin,
  type ConsumerConfig,
  type Kafka,
  type KafkaMessage,
  type Seek,
} from '@tactful/kafka';
import type { Logger } from '@tactful/observability';

export interface TopicTailOptions {
  readonly kafka: Kafka;
  /** Connected; reads each partition's offsets to find where its tail starts. */
  readonly admin: Admin;
  readonly groupId: string;
  /** Each topic, with how many of each partition's last messages to read again after every (re)join. */
  readonly topics: Readonly<Record<string, number>>;
  readonly onMessage: (topic: string, partition: number, message: KafkaMessage) => void;
  readonly logger: Logger;
  readonly consumerConfig?: Omit<ConsumerConfig, 'groupId'>;
}

export interface TopicTail {
  /** Running and a member of its group: for the readiness check. */
  isReady(): boolean;
  /** Resolves when the consumer stops for good: with the error, or undefined after `stop()`. */
  readonly stopped: Promise<Error | undefined>;
  stop(): Promise<void>;
}

/**
 * Follows the last messages of some topics, for a view that shows the newest ones, on the shared consumer
 * loop. On every join it seeks each partition it was given to `max(log start, log end - keep)`, so it
 * starts from the tail after a restart, however far behind its committed offset is, and never reads a
 * whole topic. Each record is shown from its raw bytes (the loop's screen-only mode) and never decoded or
 * handled further. Offsets are committed anyway (auto-commit), so the group's lag shows in the lag table
 * like any other group's.
 */
export async function startTopicTail(options: TopicTailOptions): Promise<TopicTail> {
  const logger = options.logger.child({ component: 'topic-tail', groupId: options.groupId });

  async function seekToTails(assignment: Readonly<Record<string, readonly number[]>>, seek: Seek) {
    for (const [topic, partitions] of Object.entries(assignment)) {
      const keep = options.topics[topic] ?? 0;
      const offsets = await options.admin.fetchTopicOffsets(topic);
      for (const { partition, high, low } of offsets) {
        if (!partitions.includes(partition)) continue;
        const start = BigInt(high) - BigInt(keep);
        const offset = start > BigInt(low) ? start : BigInt(low);
        seek(topic, partition, offset.toString());
      }
    }
  }

  const tail = await runMessageConsumer({
    kafka: options.kafka,
    groupId: options.groupId,
    topic: Object.keys(options.topics),
    component: 'topic-tail',
    fromBeginning: false,
    // if the seek fails, the view starts from the committed offsets instead of the tails: older, still true
    onAssigned: seekToTails,
    screen({ topic, partition, message }) {
      try {
        options.onMessage(topic, partition, message);
      } catch (err) {
        // shown, never applied: a record the view cannot take is left out, and the tail goes on (these
        // are N.audit and N.dlq themselves, so there is nowhere to dead-letter it)
        logger.error({ topic, partition, offset: message.offset, err }, 'could not show a record; skipped');
      }
    },
    logger: options.logger,
    ...(options.consumerConfig ? { consumerConfig: options.consumerConfig } : {}),
  });
  logger.info({ topics: Object.keys(options.topics) }, 'following the tails');

  return { isReady: tail.isReady, stopped: tail.stopped, stop: tail.stop };
}
