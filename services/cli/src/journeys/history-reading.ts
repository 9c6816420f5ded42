import { createKafkaClient, type Kafka } from '@tactful/kafka';
import { createReadProgress, type ReadProgress } from './read-progress';

/** A line of progress every 5 s when stderr is not a terminal. */
const PROGRESS_INTERVAL_MS = 5000;

/**
 * What a command that reads a namespace's history from Kafka starts with (`journeys report`, `journeys
 * impact`): a client that retries a few times on a busy broker, and a progress display on stderr.
 */
export function historyReading(
  brokers: string[],
  clientId: string,
  what: string,
): { kafka: Kafka; progress: ReadProgress } {
  const kafka = createKafkaClient({
    brokers,
    clientId,
    retry: { retries: 5, initialRetryTime: 300, maxRetryTime: 3000 },
  });
  const progress = createReadProgress({
    stream: process.stderr,
    intervalMs: PROGRESS_INTERVAL_MS,
    now: Date.now,
    what,
  });
  return { kafka, progress };
}
