import { randomBytes } from 'node:crypto';
import pino from 'pino';
import type { Consumer, KafkaMessage } from '@tactful/kafka';
import { encodeEvent, type TactfulEvent } from '@tactful/events';
import type { KafkaFixture, TestServers } from '@tactful/testing';
import { writePolicy as writePolicyFile } from '../demo/short-journeys';
import { startStack, type Stack } from './stack';
import type { ServiceName } from './services';

// Test support for the stories: the example journeys with every wait shrunk to seconds, a policy that
// lets a story's sends through, and a stack of real services on the test's namespace.

export { EXAMPLES, shortJourneys } from '../demo/short-journeys';

/** Room for every message of a story: the stories are about journeys and halts, not about caps. */
export const RELAXED_POLICY = `frequency: { maxPerDay: 50, maxPerWeek: 100, minGap: PT0S }
quietHours: { start: "00:00", end: "00:00", defaultTimezone: UTC }
blastGuard: { maxPerHour: 40 }
`;

export function writePolicy(text = RELAXED_POLICY): Promise<string> {
  return writePolicyFile(text);
}

/** A random link secret per test run: the dispatcher does not start without one. */
export const LINK_SECRET = randomBytes(32).toString('hex');

export interface TestStackOptions {
  servers: TestServers;
  namespace: string;
  journeys: string;
  policy: string;
  services?: ServiceName[];
  env?: Record<string, string>;
  /** Where the HTTP server listens; default `127.0.0.1`, `null` for what the configuration says. */
  host?: string | null;
}

export function startTestStack(options: TestStackOptions): Promise<Stack> {
  return startStack({
    env: {
      KAFKA_BROKERS: options.servers.kafkaBrokers.join(','),
      REDIS_URL: options.servers.redisUrl,
      TACTFUL_NAMESPACE: options.namespace,
      TACTFUL_JOURNEYS: options.journeys,
      TACTFUL_POLICY: options.policy,
      TACTFUL_HTTP_PORT: '0',
      TACTFUL_TOPIC_PARTITIONS: '3',
      TACTFUL_LINK_SECRET: LINK_SECRET,
      LOG_LEVEL: 'silent',
      ...options.env,
    },
    services: options.services ?? ['orchestrator', 'scheduler'],
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    overrides: {
      ...(options.host === null ? {} : { host: options.host ?? '127.0.0.1' }),
      schedulerPollMs: 50,
      consoleSampleIntervalMs: 500,
      haltSignalSampleMs: 200,
      consumerConfig: {
        sessionTimeout: 10_000,
        heartbeatInterval: 500,
        maxWaitTimeInMs: 50,
        rebalanceTimeout: 10_000,
      },
    },
  });
}

let counter = 0;
/** A valid event for a story; ids are unique per test run. */
export function event(
  type: TactfulEvent['type'],
  subject: string,
  data: Record<string, unknown>,
): TactfulEvent {
  counter += 1;
  return {
    specversion: '1.0',
    id: `evt-${Date.now().toString(36)}-${counter}`,
    source: 'test/stories',
    type,
    subject,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data,
  } as TactfulEvent;
}

export async function publish(kafka: KafkaFixture, events: TactfulEvent[]): Promise<void> {
  const producer = await kafka.producer();
  await producer.send({ topic: kafka.topic('events'), acks: -1, messages: events.map(encodeEvent) });
}

/** Collects every message of a topic from the beginning, for a test to poll. */
export interface Collector {
  readonly messages: KafkaMessage[];
  json<T>(): T[];
  stop(): Promise<void>;
}

export async function collect(kafka: KafkaFixture, topic: string, name: string): Promise<Collector> {
  const consumer: Consumer = kafka.consumer(`collector-${name}`);
  const messages: KafkaMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      messages.push(message);
    },
  });
  return {
    messages,
    json: <T>() => messages.map((m) => JSON.parse(m.value?.toString() ?? 'null') as T),
    stop: () => consumer.disconnect(),
  };
}
