import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { consumerGroupsFor, parseCommand, topicsFor, type EmailSendCommand } from '@tactful/events';
import {
  createDeadLetter,
  createRenewingProducer,
  runMessageConsumer,
  type ConsumerConfig,
  type DeadLetter,
  type Kafka,
} from '@tactful/kafka';
import type { Logger, ReadinessChecks, TactfulMetrics } from '@tactful/observability';
import type { Store } from '@tactful/store-redis';
import { createCommandHandler } from './command-handler';
import { createDelivery } from './delivery';
import { createDeliveryStore, type DeliveryStore } from './delivery-store';
import { startHaltSignals, type HaltSignals } from './halt-signals';
import { envelopeAddress } from './message';
import type { PreparedDispatcher } from './prepare';
import { createReporter, type Reporter } from './reporter';
import { DELIVERY_RETRY_DEFAULTS, type RetryOptions } from './retry';
import { createSmtpHealth } from './smtp-health';
import { createSmtpSender, type SmtpSender } from './smtp-sender';

type CommandHandler = ReturnType<typeof createCommandHandler>;
type SmtpHealth = ReturnType<typeof createSmtpHealth>;

export interface DispatcherDeps {
  readonly kafka: Kafka;
  readonly namespace: string;
  /** The journey store: the customers' halt marks, and the delivery records it keeps for the dispatcher. */
  readonly store: Store;
  /** Templates, journeys, policy and mail settings, checked by `prepareDispatcher`. */
  readonly prepared: PreparedDispatcher;
  readonly readiness: ReadinessChecks;
  readonly metrics: TactfulMetrics;
  readonly logger: Logger;
  readonly now?: () => Date;
  /** Partitions handled at once; each partition (so each customer) stays in order. Default 6. */
  readonly partitionsConsumedConcurrently?: number;
  /** kafkajs consumer timings; tests shrink them. */
  readonly consumerConfig?: Omit<ConsumerConfig, 'groupId'>;
  /** Backoff of transient SMTP failures; tests shrink it. */
  readonly retry?: RetryOptions;
  /** How long a reply can still be matched to its command. Default 180 days. */
  readonly replyRouteTtlMs?: number;
  /** How often an unreachable mail server is checked again for readiness. Default 5 s. */
  readonly smtpRecheckMs?: number;
  /** Between two lag samples of the halt sentinel's group (the hold of sends). Default 1 s. */
  readonly haltSignalSampleMs?: number;
  /**
   * The base URL of the links, when the process knows better than the configuration: `tactful run`
   * without `TACTFUL_PUBLIC_URL` gives its HTTP server's own address. Read for every email.
   */
  readonly publicUrl?: () => string;
}

export interface Dispatcher {
  /** Resolves when the consumer stops for good: with the error that stopped it, or undefined after close. */
  readonly stopped: Promise<Error | undefined>;
  /** Finishes the command in hand, commits its offset, leaves the group. */
  close(): Promise<void>;
}

/**
 * The dispatcher: consumes `N.commands` in the `N.dispatcher` group, partitions in parallel and each in
 * order, holds each send while the halt sentinel is behind or absent, runs the last-mile checks, renders
 * and delivers each command at most once (README), and reports `email.sent` on `N.events`.
 * Replies come back through the gateway's inbound SMTP.
 */
export async function startDispatcher(deps: DispatcherDeps): Promise<Dispatcher> {
  const logger = deps.logger.child({ component: 'dispatcher' });
  const { prepared, metrics } = deps;
  const now = deps.now ?? (() => new Date());
  const owner = `${os.hostname()}/${process.pid}/${randomBytes(4).toString('hex')}`;
  const topics = topicsFor(deps.namespace);
  let stopping = false;

  const producer = await createRenewingProducer(deps.kafka, logger);
  const deliveries = createDeliveryStore({
    store: deps.store,
    replyRouteTtlMs: deps.replyRouteTtlMs ?? 180 * 24 * 3_600_000,
  });
  // each SMTP timeout a third of the lease, so a conversation that stalls gives up before its claim lapses
  const sender = createSmtpSender({
    url: prepared.smtpUrl,
    timeoutMs: Math.floor(prepared.leaseMs / 3),
    logger,
  });
  const health = createSmtpHealth({ sender, logger, recheckMs: deps.smtpRecheckMs ?? 5000 });
  await health.check();
  const haltSignals = await startHaltSignals({
    kafka: deps.kafka,
    namespace: deps.namespace,
    maxLagMs: prepared.haltSignalMaxLagMs,
    sampleIntervalMs: deps.haltSignalSampleMs ?? 1000,
    metrics,
    logger,
  });
  const parts: Parts = {
    deliveries,
    sender,
    health,
    haltSignals,
    reporter: createReporter({ producer, topics }),
    deadLetter: createDeadLetter({ producer, dlqTopic: topics.dlq, metrics, logger }),
    owner,
    now,
    stopping: () => stopping,
    logger,
  };
  const handle = createHandler(deps, parts);
  const consumer = await startCommandConsumer(deps, handle, parts);
  const removeChecks = addReadinessChecks(deps.readiness, consumer, parts);
  if (!prepared.publicUrlSet)
    logger.warn(
      { publicUrl: deps.publicUrl?.() ?? prepared.publicUrl },
      'TACTFUL_PUBLIC_URL is not set: the unsubscribe links in emails point at this machine; set it to the address where the gateway is reached',
    );
  logger.info({ owner }, 'dispatcher started');

  return {
    stopped: consumer.stopped,
    async close() {
      stopping = true;
      for (const remove of removeChecks) remove();
      health.stop();
      await consumer.stop();
      await haltSignals.stop();
      await producer.disconnect();
      logger.info('dispatcher closed');
    },
  };
}

/** What the dispatcher builds once and its parts share. */
interface Parts {
  readonly deliveries: DeliveryStore;
  readonly sender: SmtpSender;
  readonly health: SmtpHealth;
  readonly haltSignals: HaltSignals;
  readonly reporter: Reporter;
  readonly deadLetter: DeadLetter;
  /** This process's claims carry it. */
  readonly owner: string;
  readonly now: () => Date;
  /** True once the dispatcher is closing. */
  readonly stopping: () => boolean;
  readonly logger: Logger;
}

/** The handler of one command: the hold, the last-mile checks, rendering, then the delivery protocol. */
function createHandler(deps: DispatcherDeps, parts: Parts): CommandHandler {
  const { prepared } = deps;
  const { deliveries, health, owner, now, stopping, logger } = parts;
  const delivery = createDelivery({
    deliveries,
    sender: parts.sender,
    reporter: parts.reporter,
    deadLetter: parts.deadLetter,
    owner,
    leaseMs: prepared.leaseMs,
    envelopeFrom: envelopeAddress(prepared.mailFrom),
    retry: deps.retry ?? DELIVERY_RETRY_DEFAULTS,
    metrics: deps.metrics,
    logger,
    now,
    stopping,
    onServerReached: (reached, detail) => health.report(reached, detail),
  });
  return createCommandHandler({
    store: deps.store,
    deliveries,
    delivery,
    haltSignals: parts.haltSignals,
    templates: prepared.templates,
    engines: prepared.engines,
    journeys: prepared.journeys,
    policy: prepared.policy,
    settings: {
      from: prepared.mailFrom,
      replyDomain: prepared.replyDomain,
      signer: prepared.signer,
      // read per email: the HTTP server of `tactful run` may learn its port after the dispatcher started
      get publicUrl() {
        return deps.publicUrl?.() ?? prepared.publicUrl;
      },
    },
    owner,
    logger,
    now,
    stopping,
  });
}

/** Consumes `N.commands` in the `N.dispatcher` group, partitions in parallel and each in order. */
function startCommandConsumer(deps: DispatcherDeps, handle: CommandHandler, parts: Parts) {
  return runMessageConsumer<EmailSendCommand>({
    kafka: deps.kafka,
    groupId: consumerGroupsFor(deps.namespace).dispatcher,
    topic: topicsFor(deps.namespace).commands,
    component: 'command-consumer',
    parse: (value, key) => {
      const result = parseCommand(value, key);
      return result.ok ? { ok: true, value: result.command, type: result.command.type } : result;
    },
    handle,
    deadLetter: parts.deadLetter,
    logger: parts.logger,
    onProcessed: (type, outcome) => deps.metrics.commandsProcessed.inc({ type, outcome }),
    partitionsConsumedConcurrently: deps.partitionsConsumedConcurrently ?? 6,
    ...(deps.consumerConfig ? { consumerConfig: deps.consumerConfig } : {}),
  });
}

/** The dispatcher's readiness: a member of its group, the mail server reachable, the halt signals current. */
function addReadinessChecks(
  readiness: ReadinessChecks,
  consumer: { isReady(): boolean },
  { health, haltSignals }: Parts,
): (() => void)[] {
  return [
    readiness.add('dispatcher.consumer', async () => ({
      ok: consumer.isReady(),
      detail: consumer.isReady() ? 'member of its group' : 'not (yet) a member of its consumer group',
    })),
    readiness.add('dispatcher.smtp', async () => health.status()),
    readiness.add('dispatcher.halt_signals', async () => {
      const { current, detail, held } = haltSignals.status();
      const holding = `${held} send${held === 1 ? '' : 's'} held`;
      return current
        ? { ok: true, detail: `halt signals current: ${detail}` }
        : { ok: false, detail: `sends held until the halt sentinel catches up: ${detail}; ${holding}` };
    }),
  ];
}
