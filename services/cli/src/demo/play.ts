import { createRedisClient, createStore, deleteNamespace, type Store } from '@tactful/store-redis';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pino from 'pino';
import { Partitioners, createKafkaClient, type Admin, type Producer } from '@tactful/kafka';
import { consumerGroupsFor, encodeEvent, topicsFor, type TactfulEvent, type Topics } from '@tactful/events';
import { startSmtpSink, type SmtpSink } from '@tactful/dispatcher/smtp-sink';
import { loadConfig, TactfulEnv } from '@tactful/observability';
import { AVAILABLE_SERVICES } from '../run/services';
import { startStack } from '../run/stack';
import { collectAudit, type AuditCollector } from './audit-collector';
import { DEMO_MAIL_DIR, renderMail, waitForMail, writeMail } from './mailbox';
import { renderPerson } from './report';
import { settle } from './settle';
import { EXAMPLE_TEMPLATES, shortJourneys, writePolicy } from './short-journeys';
import { DEMO_POLICY, STORIES, type Story } from './stories';

export interface DemoOptions {
  env: NodeJS.ProcessEnv;
  /** Every journey wait, shortened (ISO 8601). */
  wait: string;
  keep: boolean;
  write: (text: string) => void;
  /** Where every delivered email is written (default `DEMO_MAIL_DIR`, under the working directory). */
  mailDir?: string;
}

function waitMs(iso: string): number {
  const m = /^PT(\d+)S$/.exec(iso);
  if (!m) throw new Error(`--wait takes seconds, e.g. PT2S (got ${iso})`);
  return Number(m[1]) * 1000;
}

/** What playing one story needs: the stack's clients and the demo's own collectors. */
interface StoryRun {
  say: (text: string) => void;
  producer: Producer;
  admin: Admin;
  store: Store;
  topics: Topics;
  /** The orchestrator's consumer group, whose catching up ends a step. */
  group: string;
  audit: AuditCollector;
  sink: SmtpSink;
  mailDir: string;
  /** The shortened journey wait (ms). */
  pause: number;
  /** The id of the next event the demo publishes. */
  nextId: () => string;
}

/** Plays one story's steps, each until the stack settled, then prints each person's decisions and mail. */
async function playStory(story: Story, run: StoryRun): Promise<void> {
  const { say, topics } = run;
  say(`\n${story.title}`);
  for (const step of story.steps) {
    say(`  · ${step.say}`);
    if (step.kind === 'events') {
      const events = step.events.map(
        (e) =>
          ({
            ...e,
            specversion: '1.0',
            id: run.nextId(),
            source: 'tactful/demo',
            time: new Date().toISOString(),
          }) as TactfulEvent,
      );
      const batch = step.deliverTwice ? [...events, ...events] : events;
      await run.producer.send({ topic: topics.events, acks: -1, messages: batch.map(encodeEvent) });
    } else {
      await new Promise((r) => setTimeout(r, run.pause + 300));
    }
    await settle(run.admin, run.store, topics.events, run.group);
  }
  await run.audit.caughtUp(run.admin);
  await waitForMail(run.sink, () => story.people.flatMap((p) => run.audit.of(p)));
  for (const person of story.people) {
    say(renderPerson(person, run.audit.of(person)));
    for (const mail of run.sink.received.filter((m) => m.header('x-tactful-customer') === person)) {
      say(renderMail(mail));
      await writeMail(run.mailDir, person, mail);
    }
  }
}

/**
 * Plays the stories of the architecture on the real stack: the example journeys (waits shortened) and
 * templates, every service in this process, a fresh namespace, and an SMTP catcher the dispatcher
 * delivers to; then prints, for each person, what was sent, what was not, and why, from the audit trail,
 * and each email they received (subject, first lines, unsubscribe link), written to `mailDir` too. The
 * namespace's topics and keys are removed afterwards unless `keep`.
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
  const services = AVAILABLE_SERVICES.filter((s) => s !== 'console');
  const sink = await startSmtpSink();
  const mailDir = path.resolve(options.mailDir ?? DEMO_MAIL_DIR, namespace);
  const stack = await startStack({
    env: {
      ...options.env,
      TACTFUL_SMTP_URL: sink.url,
      TACTFUL_TEMPLATES: EXAMPLE_TEMPLATES,
      TACTFUL_LINK_SECRET: base.TACTFUL_LINK_SECRET ?? randomBytes(32).toString('hex'),
      TACTFUL_NAMESPACE: namespace,
      TACTFUL_JOURNEYS: await shortJourneys(options.wait),
      TACTFUL_POLICY: await writePolicy(DEMO_POLICY),
      TACTFUL_HTTP_PORT: '0',
      TACTFUL_CONSUMER_SESSION_TIMEOUT_MS: '10000',
    },
    services,
    logger: pino({ level: 'silent' }),
    overrides: { host: '127.0.0.1', schedulerPollMs: 100 },
  }).catch(async (err: unknown) => {
    await sink.close();
    throw err;
  });
  const kafka = createKafkaClient({ brokers: base.KAFKA_BROKERS, clientId: 'tactful-demo' });
  const admin = kafka.admin();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  const redis = createRedisClient(base.REDIS_URL);
  const store = createStore({ redis, namespace });
  const audit = await collectAudit(kafka, topics.audit, `${namespace}.demo-audit`);
  const group = consumerGroupsFor(namespace).orchestrator;
  let n = 0;
  const nextId = (): string => `demo-${++n}`;
  try {
    await Promise.all([admin.connect(), producer.connect()]);
    say(`services: ${services.join(', ')}; ops server ${stack.url}; mail caught at ${sink.url}\n`);
    const run: StoryRun = { say, producer, admin, store, topics, group, audit, sink, mailDir, pause, nextId };
    for (const story of STORIES) await playStory(story, run);
    say(
      `\nEvery decision above is on ${topics.audit}; \`TACTFUL_NAMESPACE=${namespace} tactful explain ann\` shows one person's timeline${options.keep ? '' : ' (use --keep to keep the namespace)'}.`,
    );
    say(`Every email delivered is in ${mailDir} (HTML when the template has an HTML body).`);
    return 0;
  } finally {
    await audit.stop();
    await stack.close();
    await sink.close();
    await producer.disconnect();
    if (!options.keep) {
      await admin.deleteTopics({ topics: Object.values(topics) });
      await deleteNamespace(redis, namespace);
    }
    await admin.disconnect();
    redis.disconnect();
  }
}
