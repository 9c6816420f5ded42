import type { FastifyInstance } from 'fastify';
import { readTally } from '@tactful/engine';
import { consumerGroupsFor, topicsFor, type AuditRecord } from '@tactful/events';
import {
  createLagMonitor,
  groupCurrency,
  type Admin,
  type ConsumerConfig,
  type Kafka,
  type LagReport,
} from '@tactful/kafka';
import type { LoadedJourney } from '@tactful/journeys';
import type { Logger, ReadinessChecks } from '@tactful/observability';
import type { Store } from '@tactful/store-redis';
import { auditReader } from './audit-reader';
import { loadConsoleAssets } from './assets';
import { createConsoleAuth } from './console-auth';
import type { ConsoleViews, GroupView, HaltSignalsView, LagView } from './console-views';
import { explainCustomer } from './customer-explanation';
import { createReportCache } from './report-cache';
import { createLagHistory, type LagHistory } from './lag-history';
import { journeyViews } from './journey-views';
import type { LagMetrics } from './lag-metrics';
import { startLagSampler, type LagSampler } from './lag-sampler';
import { createRecent } from './recent';
import { registerConsoleRoutes } from './routes';
import { deadLetterEntry, decisionRecord, type DeadLetterEntry } from './tail-records';
import { startTopicTail } from './topic-tail';

export interface ConsoleOptions {
  /** Between two lag samples. Default 5 s. */
  readonly sampleIntervalMs: number;
  /** Lag samples kept for the chart. Default 720: an hour at 5 s. */
  readonly historyPoints: number;
  /** Newest decisions (`N.audit`) and dead letters (`N.dlq`) kept and shown. Default 100 each. */
  readonly recentDecisions: number;
  readonly recentDeadLetters: number;
  /** Decisions shown per customer in the search. Default 200. */
  readonly customerDecisions: number;
  /** How long a journey report (a read of N.audit and N.events) is shown before it is read again. Default 30 s. */
  readonly reportMaxAgeMs: number;
}

export const CONSOLE_DEFAULTS: ConsoleOptions = {
  sampleIntervalMs: 5000,
  historyPoints: 720,
  recentDecisions: 100,
  recentDeadLetters: 100,
  customerDecisions: 200,
  reportMaxAgeMs: 30_000,
};

export interface ConsoleDeps {
  /** The ops server's fastify instance, before it listens. */
  readonly app: FastifyInstance;
  readonly kafka: Kafka;
  readonly namespace: string;
  readonly store: Pick<Store, 'load' | 'counters'>;
  readonly readiness: ReadinessChecks;
  readonly metrics: LagMetrics;
  readonly logger: Logger;
  readonly options?: Partial<ConsoleOptions>;
  /** `TACTFUL_CONSOLE_TOKEN`: the page and `/api/*` need it; undefined = open (the server is on loopback). */
  readonly token?: string;
  /** `TACTFUL_HALT_SIGNAL_MAX_LAG_MS`: how the dispatcher judges the sentinel, so the console can say it holds. */
  readonly haltSignalMaxLagMs: number;
  /** kafkajs consumer timings; tests shrink them. */
  readonly consumerConfig?: Omit<ConsumerConfig, 'groupId'>;
  /** The journeys of TACTFUL_JOURNEYS, drawn with their live numbers; none when not given. */
  readonly journeys?: readonly LoadedJourney[];
}

export interface Console {
  readonly stopped: Promise<Error | undefined>;
  close(): Promise<void>;
}

/** Pure. The consumer group the console reads `N.audit` and `N.dlq` in. */
export function consoleGroupFor(namespace: string): string {
  return `${namespace}.console`;
}

/** Pure. The dispatcher's hold as the console's own lag sample shows it. */
export function haltSignalsView(report: LagReport, namespace: string, maxLagMs: number): HaltSignalsView {
  const groups = consumerGroupsFor(namespace);
  const sentinel = report.groups.find((g) => g.groupId === groups.sentinel);
  const dispatcher = report.groups.find((g) => g.groupId === groups.dispatcher);
  const { current, detail } = groupCurrency(sentinel, groups.sentinel, maxLagMs);
  return { current, detail, maxLagMs, waitingCommands: dispatcher?.lag ?? null };
}

function lagView(
  sampler: LagSampler,
  history: LagHistory,
  intervalMs: number,
  halt: (report: LagReport) => HaltSignalsView,
): LagView {
  const report: LagReport | null = sampler.latest();
  const groups = (report?.groups ?? []).map((g): GroupView => ({
    groupId: g.groupId,
    state: g.state,
    members: g.members.length,
    lag: g.lag,
    status: g.status,
    reason: g.reason,
    partitions: g.partitions.map((p) => ({
      topic: p.topic,
      partition: p.partition,
      committed: p.committed,
      logEnd: p.logEnd,
      lag: p.lag,
      waitingMs: p.nextMessage?.ageMs ?? null,
      stuckMs: p.lagTimeMs,
      status: p.status,
      reason: p.reason,
    })),
  }));
  return {
    at: report?.at ?? null,
    intervalMs,
    error: sampler.lastError(),
    groups,
    absent: report?.absent ?? [],
    history: history.series(),
    haltSignals: report === null ? null : halt(report),
  };
}

/**
 * The newest decisions (`N.audit`) and dead letters (`N.dlq`), read by a tail in the console's own group;
 * an audit record that cannot be read is logged, not dead-lettered: the audit topic is read for display only.
 */
async function startTails(deps: ConsoleDeps, admin: Admin, options: ConsoleOptions, logger: Logger) {
  const topics = topicsFor(deps.namespace);
  const decisions = createRecent<AuditRecord>(options.recentDecisions);
  const deadLetters = createRecent<DeadLetterEntry>(options.recentDeadLetters);
  const tail = await startTopicTail({
    kafka: deps.kafka,
    admin,
    groupId: consoleGroupFor(deps.namespace),
    topics: { [topics.audit]: options.recentDecisions, [topics.dlq]: options.recentDeadLetters },
    logger,
    ...(deps.consumerConfig ? { consumerConfig: deps.consumerConfig } : {}),
    onMessage(topic, partition, message) {
      const position = { topic, partition, offset: message.offset, timestamp: Number(message.timestamp) };
      if (topic === topics.dlq) {
        deadLetters.add(position, deadLetterEntry(message));
        return;
      }
      const parsed = decisionRecord(message);
      if (parsed.ok) decisions.add(position, parsed.record);
      else
        logger.warn(
          { topic, partition, offset: message.offset, problem: parsed.problem },
          'not an audit record',
        );
    },
  });
  return { tail, decisions, deadLetters };
}

/**
 * The ops console: a page on the ops server (`GET /`) and its JSON API (`/api/…`). It samples consumer
 * lag (and sets the lag gauges of `/metrics`), reads the tails of `N.audit` and `N.dlq` in its own group
 * `N.console`, reads the journey counts the orchestrator keeps in Redis, and explains one customer on
 * request. Register before the ops server listens.
 */
export async function startConsole(deps: ConsoleDeps): Promise<Console> {
  const options = { ...CONSOLE_DEFAULTS, ...deps.options };
  const logger = deps.logger.child({ component: 'console' });
  const assets = await loadConsoleAssets();

  const admin = deps.kafka.admin();
  await admin.connect();
  const { tail, decisions, deadLetters } = await startTails(deps, admin, options, logger);
  // after the tail joined, so the first sample already shows the console's own group
  const history = createLagHistory(options.historyPoints);
  const sampler = startLagSampler({
    monitor: createLagMonitor({ admin, namespace: deps.namespace }),
    history,
    metrics: deps.metrics,
    logger,
    intervalMs: options.sampleIntervalMs,
  });

  const reports = createReportCache({
    kafka: deps.kafka,
    namespace: deps.namespace,
    maxAgeMs: options.reportMaxAgeMs,
    now: Date.now,
  });

  const removeCheck = deps.readiness.add('console.consumer', async () => ({
    ok: tail.isReady(),
    detail: tail.isReady() ? 'member of its group' : 'not (yet) a member of its consumer group',
  }));

  const readAudit = auditReader(deps.kafka, deps.namespace);
  const views: ConsoleViews = {
    info: () => ({
      namespace: deps.namespace,
      sampleIntervalMs: options.sampleIntervalMs,
      historyPoints: options.historyPoints,
      login: deps.token !== undefined,
    }),
    lag: () =>
      lagView(sampler, history, options.sampleIntervalMs, (report) =>
        haltSignalsView(report, deps.namespace, deps.haltSignalMaxLagMs),
      ),
    journeys: async () => readTally(await deps.store.counters()),
    report: reports.get,
    decisions: () => decisions.list(),
    deadLetters: () => deadLetters.list(),
    customer: (customerId) => explainCustomer(deps.store, readAudit, customerId, options.customerDecisions),
    journeyViews: async () => journeyViews(deps.journeys ?? [], await deps.store.counters()),
  };
  const close = async (): Promise<void> => {
    removeCheck();
    await sampler.stop();
    await tail.stop();
    await admin.disconnect();
  };
  try {
    await registerConsoleRoutes(deps.app, views, assets, logger, {
      ...(deps.token === undefined ? {} : { auth: createConsoleAuth(deps.token) }),
    });
  } catch (err) {
    // the stack does not know this service started: stop what runs before reporting the failure
    await close();
    throw err;
  }
  logger.info(
    { login: deps.token !== undefined },
    deps.token === undefined
      ? 'console ready at / (no TACTFUL_CONSOLE_TOKEN: open to whoever reaches the loopback port)'
      : 'console ready at /, behind a login (TACTFUL_CONSOLE_TOKEN)',
  );

  return {
    stopped: tail.stopped,
    async close() {
      await close();
      logger.info('console closed');
    },
  };
}
