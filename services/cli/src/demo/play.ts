import { createRedisClient, createStore, deleteNamespace } from '@tactful/store-redis';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { Partitioners, createKafkaClient } from '@tactful/kafka';
import { consumerGroupsFor, encodeEvent, topicsFor, type TactfulEvent } from '@tactful/events';
import { loadConfig, TactfulEnv } from '@tactful/observability';
import { AVAILABLE_SERVICES } from '../run/services';
import { startStack } from '../run/stack';
import { collectAudit } from './audit-collector';
import { renderPerson } from './report';
import { settle } from './settle';
import { shortJourneys, writePolicy } from './short-journeys';
import { DEMO_POLICY, STORIES } from './stories';

export interface DemoOptions {
  env: NodeJS.ProcessEnv;
  /** Every journey wait, shortened (ISO 8601). */
  wait: string;
  keep: boolean;
  write: (text: string) => void;
}

function waitMs(iso: string): number {
  const m = /^PT(\d+)S$/.exec(iso);
  if (!m) throw new Error(`--wait takes seconds, e.g. PT2S (got ${iso})`);
  return Number(m[1]) * 1000;
}

/**
 * Plays the stories of the architecture on the real stack: the example journeys (waits shortened), the
 * services in this process, a fresh namespace; then prints, for each person, what was sent, what was not,
 * and why, from the audit trail. The namespace's topics and keys are removed afterwards unless `keep`.
 */
export async function playDemo(options: DemoOptions): Promise<number> {
  const base = loadConfig(TactfulEnv, options.env);
  const namespace = `${base.TACTFUL_NAMESPACE}-demo-${randomBytes(3).toString('hex')}`;
  const topics = topicsFor(namespace);
  const pause = waitMs(options.wait);
  const say = options.write;
  say(
    `Tactful demo in namespace ${namespace} (journeys from journeys/, every wait shortened to ${options.wait})\n`,
  );
  const services = AVAILABLE_SERVICES.filter((s) => s !== 'gateway' && s !== 'dispatcher');
  const stack = await startStack({
    env: {
      ...options.env,
      TACTFUL_NAMESPACE: namespace,
      TACTFUL_JOURNEYS: await shortJourneys(options.wait),
      TACTFUL_POLICY: await writePolicy(DEMO_POLICY),
      TACTFUL_HTTP_PORT: '0',
      TACTFUL_CONSUMER_SESSION_TIMEOUT_MS: '10000',
    },
    services,
    logger: pino({ level: 'silent' }),
    overrides: { host: '127.0.0.1', schedulerPollMs: 100 },
  });
  const kafka = createKafkaClient({ brokers: base.KAFKA_BROKERS, clientId: 'tactful-demo' });
  const admin = kafka.admin();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  const redis = createRedisClient(base.REDIS_URL);
  const store = createStore({ redis, namespace });
  const audit = await collectAudit(kafka, topics.audit, `${namespace}.demo-audit`);
  const group = consumerGroupsFor(namespace).orchestrator;
  let n = 0;
  try {
    await Promise.all([admin.connect(), producer.connect()]);
    say(`services: ${services.join(', ')}; ops server ${stack.url}\n`);
    for (const story of STORIES) {
      say(`\n${story.title}`);
      for (const step of story.steps) {
        say(`  · ${step.say}`);
        if (step.kind === 'events') {
          const events = step.events.map(
            (e) =>
              ({
                ...e,
                specversion: '1.0',
                id: `demo-${++n}`,
                source: 'tactful/demo',
                time: new Date().toISOString(),
              }) as TactfulEvent,
          );
          const batch = step.deliverTwice ? [...events, ...events] : events;
          await producer.send({ topic: topics.events, acks: -1, messages: batch.map(encodeEvent) });
        } else {
          await new Promise((r) => setTimeout(r, pause + 300));
        }
        await settle(admin, store, topics.events, group);
      }
      await audit.caughtUp(admin);
      for (const person of story.people) say(renderPerson(person, audit.of(person)));
    }
    say(
      `\nEvery decision above is on ${topics.audit}; \`TACTFUL_NAMESPACE=${namespace} tactful explain ann\` shows one person's timeline${options.keep ? '' : ' (use --keep to keep the namespace)'}.`,
    );
    return 0;
  } finally {
    await audit.stop();
    await stack.close();
    await producer.disconnect();
    if (!options.keep) {
      await admin.deleteTopics({ topics: Object.values(topics) });
      await deleteNamespace(redis, namespace);
    }
    await admin.disconnect();
    redis.disconnect();
  }
}
