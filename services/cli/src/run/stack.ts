import type { StepContext } from '@tactful/engine';
import { topicsFor, type AuditRecord } from '@tactful/events';
import { startGateway } from '@tactful/gateway';
import { createKafkaClient, ensureTopics } from '@tactful/kafka';
import {
  createLogger,
  createMetrics,
  createOpsServer,
  createReadinessChecks,
  loadConfig,
  type Logger,
} from '@tactful/observability';
import { startOrchestrator, type OutboxEntry } from '@tactful/orchestrator';
import { startScheduler } from '@tactful/scheduler';
import { createStore } from '@tactful/store-redis';
import type { ConsumerConfig } from 'kafkajs';
import { RunConfig } from './config';
import { loadEngineContext } from './engine-context';
import { createRedisClient } from './redis-client';
import type { ServiceName } from './services';

export interface StackOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly services: readonly ServiceName[];
  readonly logger?: Logger;
  /** Tests shrink timings and bind to loopback; production leaves these alone. */
  readonly overrides?: {
    readonly host?: string;
    readonly now?: () => Date;
    readonly schedulerPollMs?: number;
    readonly consumerConfig?: Omit<ConsumerConfig, 'groupId'>;
  };
}

export interface Stack {
  readonly url: string;
  readonly port: number;
  /** Resolves with the error of the first service that stopped on its own. */
  readonly failed: Promise<Error>;
  close(): Promise<void>;
}

/**
 * Starts the chosen services in one process with one ops server (`/metrics`, `/healthz`, `/readyz` on
 * `TACTFUL_HTTP_PORT`), the way `tactful run` does. Configuration, journeys and policy are all checked
 * before anything starts, and every problem is reported at once.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const config = loadConfig(RunConfig, options.env);
  const want = (s: ServiceName): boolean => options.services.includes(s);
  const context: Omit<StepContext, 'halts'> | undefined = want('orchestrator')
    ? await loadEngineContext(config.TACTFUL_JOURNEYS, config.TACTFUL_POLICY)
    : undefined;
  const logger = options.logger ?? createLogger({ level: config.LOG_LEVEL, name: 'tactful' });
  const metrics = createMetrics();
  const readiness = createReadinessChecks({ metrics });
  const ops = createOpsServer({
    logger,
    registry: metrics.registry,
    port: config.TACTFUL_HTTP_PORT,
    ...(options.overrides?.host ? { host: options.overrides.host } : {}),
    readiness: () => readiness.report(),
  });
  const kafka = createKafkaClient({ brokers: config.KAFKA_BROKERS, clientId: 'tactful', logger });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(
      admin,
      Object.values(topicsFor(config.TACTFUL_NAMESPACE)),
      config.TACTFUL_TOPIC_PARTITIONS,
    );
  } finally {
    await admin.disconnect();
  }
  const redis = createRedisClient(config.REDIS_URL);
  readiness.add('redis', async () => ({ ok: (await redis.ping()) === 'PONG' }));
  const store = createStore<OutboxEntry, AuditRecord>({ redis, namespace: config.TACTFUL_NAMESPACE });
  await store.ensureLayout();

  const closers: (() => Promise<void>)[] = [];
  const failures: Promise<Error>[] = [];
  const common = { kafka, namespace: config.TACTFUL_NAMESPACE, readiness, metrics, logger };
  try {
    if (context) {
      const orchestrator = await startOrchestrator({
        ...common,
        store,
        context: () => context,
        ...(options.overrides?.now ? { now: options.overrides.now } : {}),
        ...(options.overrides?.consumerConfig ? { consumerConfig: options.overrides.consumerConfig } : {}),
      });
      closers.push(() => orchestrator.close());
      failures.push(orchestrator.stopped.then((err) => err ?? new Error('orchestrator stopped')));
    }
    if (want('scheduler')) {
      const scheduler = await startScheduler({
        ...common,
        store,
        ...(options.overrides?.schedulerPollMs
          ? { options: { pollIntervalMs: options.overrides.schedulerPollMs } }
          : {}),
      });
      closers.push(() => scheduler.close());
    }
    if (want('gateway')) {
      const gateway = await startGateway({
        ...common,
        app: ops.app,
        ingestToken: config.TACTFUL_INGEST_TOKEN,
        bodyLimitBytes: config.TACTFUL_INGEST_MAX_BYTES,
      });
      closers.push(() => gateway.close());
    }
  } catch (err) {
    for (const close of closers.reverse()) await close();
    redis.disconnect();
    throw err;
  }
  const { port, url } = await ops.listen();
  logger.info({ services: options.services, url }, 'tactful running');

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    failed: Promise.race(failures.length > 0 ? failures : [new Promise<Error>(() => undefined)]),
    close() {
      closing ??= (async () => {
        // the HTTP server first (requests in flight get their answer), then services in reverse order
        await ops.close();
        for (const close of closers.reverse()) await close();
        await redis.quit();
        logger.info('tactful stopped');
      })();
      return closing;
    },
  };
}
