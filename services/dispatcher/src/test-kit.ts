// Shared by this package's integration tests (not exported): a dispatcher on the test's namespace with
// timings shrunk, the halt sentinel it waits for (a real one: without it every send is held), a real SMTP
// sink, collectors of the topics it writes, and command builders.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Writable } from 'node:stream';
import { buildCatalog, emptyCustomerState, type CustomerState } from '@tactful/engine';
import { commandIdFor, type EmailSendCommand } from '@tactful/events';
import { loadJourneys } from '@tactful/journeys';
import type { Consumer, KafkaMessage } from '@tactful/kafka';
import { createLogger, createMetrics, createReadinessChecks, type Logger } from '@tactful/observability';
import { startSentinel, type Sentinel } from '@tactful/sentinel';
import { commitFrom, createStore } from '@tactful/store-redis';
import type { KafkaFixture, RedisFixture } from '@tactful/testing';
import { startDispatcher, type Dispatcher, type DispatcherDeps } from './dispatcher';
import { prepareDispatcher, type PreparedDispatcher } from './prepare';
import { startSmtpSink, type SmtpSink } from './smtp-sink';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');

export function quietLogger(): Logger {
  return createLogger(
    { level: process.env.TEST_LOG_LEVEL ?? 'silent', name: 'test' },
    process.env.TEST_LOG_LEVEL ? undefined : new Writable({ write: (_c, _e, done) => done() }),
  );
}

export const CONSUMER_CONFIG = {
  sessionTimeout: 10_000,
  heartbeatInterval: 500,
  maxWaitTimeInMs: 50,
  retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 300 },
};

let seq = 0;
/** A command as the orchestrator makes it, for the repo's journeys and templates. */
export function commandFor(
  customerId: string,
  template = 'wp-welcome',
  extra: Partial<EmailSendCommand> = {},
): EmailSendCommand {
  seq += 1;
  const base = {
    customerId,
    journey: 'whitepaper-nurture',
    journeyVersion: 3,
    stage: 'welcome',
    template,
    causationId: `evt-${Date.now().toString(36)}-${seq}`,
  };
  return {
    ...base,
    id: commandIdFor(base),
    type: 'email.send',
    createdAt: new Date().toISOString(),
    channel: 'email',
    to: `${customerId}@example.com`,
    data: { formId: 'whitepaper-2026', email: `${customerId}@example.com` },
    ...extra,
  };
}

export interface Collector {
  readonly messages: KafkaMessage[];
  json<T>(): T[];
}

export interface Kit {
  readonly sink: SmtpSink;
  /** What the dispatcher started with: its link signer, among others. */
  readonly prepared: PreparedDispatcher;
  readonly dispatcher: Dispatcher;
  readonly store: ReturnType<typeof createStore>;
  readonly metrics: ReturnType<typeof createMetrics>;
  readonly readiness: ReturnType<typeof createReadinessChecks>;
  readonly topics: { events: string; commands: string; dlq: string; audit: string };
  readonly events: Collector;
  readonly audit: Collector;
  readonly dlq: Collector;
  publish(commands: EmailSendCommand[]): Promise<void>;
  /** Messages as they are, for what the dispatcher must refuse. */
  publishRaw(messages: { key: string | null; value: string | Buffer }[]): Promise<void>;
  /** Saves a customer state as the orchestrator would have committed it. */
  saveState(state: CustomerState): Promise<void>;
  close(): Promise<void>;
}

/** The halt sentinel of the test's namespace, on the repository's journeys. */
export async function startTestSentinel(
  kafka: KafkaFixture,
  store: Parameters<typeof startSentinel>[0]['store'],
): Promise<Sentinel> {
  const metrics = createMetrics({ defaultMetrics: false });
  return startSentinel({
    kafka: kafka.kafka,
    namespace: kafka.namespace,
    store,
    catalog: buildCatalog((await loadJourneys(path.join(ROOT, 'journeys'))).journeys),
    readiness: createReadinessChecks({ metrics }),
    metrics,
    logger: quietLogger(),
    consumerConfig: CONSUMER_CONFIG,
  });
}

export async function startKit(
  kafka: KafkaFixture,
  redis: RedisFixture,
  options: {
    /** Start the halt sentinel too (default true); without it the dispatcher holds every send. */
    sentinel?: boolean;
    deps?: Partial<DispatcherDeps>;
    leaseMs?: number;
    /** `TACTFUL_HALT_SIGNAL_MAX_LAG_MS`; default 5000. */
    haltSignalMaxLagMs?: number;
    /** Where the dispatcher reaches the sink (a proxy in front of it); default the sink itself. */
    smtpUrl?: (sink: SmtpSink) => Promise<string>;
  } = {},
): Promise<Kit> {
  const [events, commands, dlq, audit] = await kafka.createTopics(['events', 'commands', 'dlq', 'audit'], 3);
  const topics = { events: events!, commands: commands!, dlq: dlq!, audit: audit! };
  const sink = await startSmtpSink();
  const prepared = await prepareDispatcher({
    TACTFUL_JOURNEYS: path.join(ROOT, 'journeys'),
    TACTFUL_TEMPLATES: path.join(ROOT, 'templates'),
    TACTFUL_POLICY: path.join(ROOT, 'policy.yaml'),
    TACTFUL_SMTP_URL: options.smtpUrl ? await options.smtpUrl(sink) : sink.url,
    TACTFUL_MAIL_FROM: 'Tactful <outreach@tactful.local>',
    TACTFUL_REPLY_DOMAIN: 'replies.example.com',
    TACTFUL_DELIVERY_LEASE_MS: options.leaseMs ?? 3000,
    TACTFUL_LINK_SECRET: randomBytes(32).toString('hex'),
    TACTFUL_HALT_SIGNAL_MAX_LAG_MS: options.haltSignalMaxLagMs ?? 5000,
    TACTFUL_PUBLIC_URL: 'https://mail.example.com',
    TACTFUL_HTTP_PORT: 0,
  });
  const store = createStore({ redis: redis.redis, namespace: kafka.namespace });
  const metrics = createMetrics({ defaultMetrics: false });
  const logger = quietLogger();
  const readiness = createReadinessChecks({ metrics });
  const sentinel = options.sentinel === false ? undefined : await startTestSentinel(kafka, store);
  const dispatcher = await startDispatcher({
    kafka: kafka.kafka,
    namespace: kafka.namespace,
    store,
    prepared,
    readiness,
    metrics,
    logger,
    consumerConfig: CONSUMER_CONFIG,
    retry: { retries: 4, initialRetryTime: 50, maxRetryTime: 200 },
    haltSignalSampleMs: 200,
    ...options.deps,
  });
  const consumers: Consumer[] = [];
  const collect = async (topic: string, name: string): Promise<Collector> => {
    const consumer = kafka.consumer(`collector-${name}`);
    consumers.push(consumer);
    const messages: KafkaMessage[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        messages.push(message);
      },
    });
    return { messages, json: <T>() => messages.map((m) => JSON.parse(m.value?.toString() ?? 'null') as T) };
  };
  const producer = await kafka.producer();
  return {
    sink,
    prepared,
    dispatcher,
    store,
    metrics,
    readiness,
    topics,
    events: await collect(topics.events, 'events'),
    audit: await collect(topics.audit, 'audit'),
    dlq: await collect(topics.dlq, 'dlq'),
    async publish(list) {
      const messages = list.map((c) => ({ key: c.customerId, value: JSON.stringify(c) }));
      await producer.send({ topic: topics.commands, acks: -1, messages });
    },
    async publishRaw(messages) {
      await producer.send({ topic: topics.commands, acks: -1, messages });
    },
    async saveState(state) {
      const loaded = await store.load(state.customerId);
      const result = await store.commit(
        commitFrom(loaded, { eventId: `seed-${Date.now()}-${Math.random()}`, state }),
      );
      if (result.status !== 'committed') throw new Error(`seeding ${state.customerId}: ${result.status}`);
    },
    async close() {
      await dispatcher.close();
      await sentinel?.close();
      await Promise.all(consumers.map((c) => c.disconnect()));
      await sink.close();
    },
  };
}

/** A customer state with a profile, as the orchestrator keeps it. */
export function stateOf(
  customerId: string,
  change: (s: CustomerState) => CustomerState = (s) => s,
): CustomerState {
  const state = emptyCustomerState(customerId);
  return change({ ...state, profile: { email: `${customerId}@example.com`, name: customerId, fields: {} } });
}
