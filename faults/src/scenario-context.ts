import { randomBytes } from 'node:crypto';
import {
  CompressionTypes,
  Partitioners,
  type Admin,
  type Consumer,
  type Kafka,
  type Message,
  type Producer,
} from 'kafkajs';
import { topicsFor, type AuditRecord } from '@tactful/events';
import { createKafkaClient, ensureTopics } from '@tactful/kafka';
import { eventually } from '../../packages/testing/src/poll';
import type { OwnServers } from '../../packages/testing/src/own-servers';
import { createFleet, type Fleet } from './fleet';
import { createHalter, type Halter } from './halter';
import { startMailbox, type Mailbox } from './mailbox';
import { JOURNEY_TEMPLATES, removeFiles, roomyPolicy, TEMPLATES, twoStageJourney } from './setup-files';
import { planCustomers, type Plan } from './tally';

// What a fault scenario works with, and how it is set up: a namespace on the run's own broker and Redis
// (6 partitions), a real SMTP server, a fleet of `tactful run` slots configured for both, the people who
// halt as soon as their first mail arrives, and a reader of N.audit that sees each journey end.

export interface ScenarioContext {
  readonly name: string;
  readonly servers: OwnServers;
  readonly namespace: string;
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly fleet: Fleet;
  readonly mailbox: Mailbox;
  readonly plan: Plan;
  /** Keyed by customer, retried until Kafka acknowledged every message (duplicates are harmless). */
  publish(messages: readonly Message[], options?: { gzip?: boolean }): Promise<void>;
  /** The share (0 to 1) of the templates owed that have arrived. */
  progress(): number;
  /** Resolves once `share` of the templates owed arrived. */
  untilProgress(share: number): Promise<void>;
}

export interface ScenarioOptions {
  readonly name: string;
  readonly servers: OwnServers;
  readonly customers: number;
  /** Processes the fleet may run at once, and how many run from the start. */
  readonly slots: number;
  readonly initial: number;
  /** The wait between the two stages (ISO 8601). */
  readonly wait: string;
  /** How long the whole scenario may take to deliver everything owed. */
  readonly deadlineMs: number;
  readonly env?: Readonly<Record<string, string>>;
  /** Publishes the burst; default the plan's form submissions. */
  readonly burst?: (ctx: ScenarioContext) => Promise<void>;
  /** The fault, played while the burst is published and worked through; resolves when it is over. */
  readonly fault: (ctx: ScenarioContext) => Promise<Record<string, unknown>>;
}

export interface OpenScenario {
  readonly ctx: ScenarioContext;
  readonly halter: Halter;
  /** People whose journey ended (completed or halted), from N.audit. */
  readonly ended: ReadonlySet<string>;
  /**
   * `customer/template` of the sends the dispatcher parked as `delivery_uncertain` (a SIGKILL fell between
   * its mark that the message is ending and the record of the server's answer), from N.audit.
   */
  readonly parked: ReadonlySet<string>;
  close(): Promise<void>;
}

async function retried<T>(what: string, attempt: () => Promise<T>, deadlineMs: number): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`${what} kept failing for ${deadlineMs} ms`, { cause: err });
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** Follows N.audit: whose journey ended, and which sends the dispatcher parked as uncertain. */
async function followAudit(
  kafka: Kafka,
  namespace: string,
): Promise<{ ended: Set<string>; parked: Set<string>; consumer: Consumer }> {
  const ended = new Set<string>();
  const parked = new Set<string>();
  const consumer = kafka.consumer({ groupId: `${namespace}.faults-audit` });
  await consumer.connect();
  await consumer.subscribe({ topic: topicsFor(namespace).audit, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const record = JSON.parse(message.value?.toString() ?? '{}') as Partial<AuditRecord>;
      if ((record.decision === 'completed' || record.decision === 'halted') && record.customerId)
        ended.add(record.customerId);
      if (record.code === 'delivery_uncertain') parked.add(`${record.customerId}/${record.template}`);
    },
  });
  return { ended, parked, consumer };
}

function processEnv(
  options: ScenarioOptions,
  namespace: string,
  smtpUrl: string,
  files: { journeys: string; policy: string },
) {
  return {
    KAFKA_BROKERS: options.servers.kafka.brokers.join(','),
    REDIS_URL: options.servers.redis.url,
    TACTFUL_NAMESPACE: namespace,
    TACTFUL_JOURNEYS: files.journeys,
    TACTFUL_TEMPLATES: TEMPLATES,
    TACTFUL_POLICY: files.policy,
    TACTFUL_SMTP_URL: smtpUrl,
    TACTFUL_LINK_SECRET: randomBytes(32).toString('hex'),
    TACTFUL_HTTP_PORT: '0',
    TACTFUL_TOPIC_PARTITIONS: '6',
    TACTFUL_CONSUMER_SESSION_TIMEOUT_MS: '6000',
    // a claim cut by a SIGKILL is taken over after this; SMTP timeouts are a third of it
    TACTFUL_DELIVERY_LEASE_MS: '10000',
    LOG_LEVEL: 'info',
    ...options.env,
  };
}

function contextOf(
  options: ScenarioOptions,
  parts: Pick<ScenarioContext, 'namespace' | 'kafka' | 'admin' | 'fleet' | 'mailbox' | 'plan'>,
  producer: Producer,
): ScenarioContext {
  const { plan, mailbox } = parts;
  const owed = plan.customers.reduce((sum, c) => sum + (c.halt ? 1 : plan.templates.length), 0);
  const arrived = (): number => new Set(mailbox.deliveries().map((d) => `${d.customer}/${d.template}`)).size;
  const topic = topicsFor(parts.namespace).events;
  return {
    ...parts,
    name: options.name,
    servers: options.servers,
    publish: (messages, how) =>
      retried(
        'publishing',
        async () =>
          void (await producer.send({
            topic,
            acks: -1,
            messages: [...messages],
            ...(how?.gzip ? { compression: CompressionTypes.GZIP } : {}),
          })),
        options.deadlineMs,
      ),
    progress: () => arrived() / owed,
    async untilProgress(share) {
      await eventually(
        `${Math.round(share * 100)} % of the mail owed`,
        () => (arrived() >= share * owed ? true : undefined),
        {
          timeoutMs: options.deadlineMs,
          intervalMs: 20,
        },
      );
    },
  };
}

/** Sets a scenario up; `close` undoes it (and SIGKILLs any process left). */
export async function openScenario(options: ScenarioOptions): Promise<OpenScenario> {
  const namespace = `fault-${randomBytes(4).toString('hex')}`;
  const topics = topicsFor(namespace);
  const plan: Plan = { customers: planCustomers(options.customers), templates: JOURNEY_TEMPLATES };
  const kafka = createKafkaClient({
    brokers: options.servers.kafka.brokers,
    clientId: `faults-${namespace}`,
    retry: { retries: 20, initialRetryTime: 300, maxRetryTime: 5000 },
  });
  const admin = kafka.admin();
  const cleanups: (() => Promise<unknown>)[] = [];
  const close = async (): Promise<void> => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  try {
    await admin.connect();
    cleanups.push(() => admin.disconnect());
    await ensureTopics(admin, Object.values(topics), 6);
    // each attempt fails fast; `publish` and the halts retry until their deadline, through any outage
    const producer = kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 1000 },
    });
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    // the people who halt react to the mailbox and reply through the fleet, which needs the mailbox first
    const reactions: { onMail?: Halter['onMail'] } = {};
    const mailbox = await startMailbox((mail) => reactions.onMail?.(mail));
    cleanups.push(() => mailbox.close());
    const files = { journeys: await twoStageJourney(options.wait), policy: await roomyPolicy() };
    cleanups.push(() => removeFiles(files.journeys, files.policy));
    const fleet = await createFleet(options.slots, processEnv(options, namespace, mailbox.url, files));
    cleanups.push(() => fleet.close());
    const halter = createHalter({
      customers: plan.customers,
      producer,
      eventsTopic: topics.events,
      inboundPorts: () => fleet.live().map((slot) => slot.inboundPort),
      deadlineMs: options.deadlineMs,
    });
    reactions.onMail = (mail) => halter.onMail(mail);
    const audit = await followAudit(kafka, namespace);
    cleanups.push(() => audit.consumer.disconnect());
    const ctx = contextOf(options, { namespace, kafka, admin, fleet, mailbox, plan }, producer);
    return { ctx, halter, ended: audit.ended, parked: audit.parked, close };
  } catch (err) {
    await close();
    throw err;
  }
}
