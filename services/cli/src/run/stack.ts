import { createRedisClient, createStore } from '@tactful/store-redis';
import { createKafkaClient, ensureNamespaceTopics } from '@tactful/kafka';
import {
  createLogger,
  createMetrics,
  createOpsServer,
  createReadinessChecks,
  httpBindingFor,
  loadConfig,
  type Logger,
} from '@tactful/observability';
import { RunConfig } from './config';
import type { RunningService, RunOverrides, Runtime } from './runtime';
import { SERVICE_NAMES, type ServiceName } from './services';
import { STARTERS } from './starters';

export interface StackOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly services: readonly ServiceName[];
  readonly logger?: Logger;
  readonly overrides?: RunOverrides;
}

export interface Stack {
  readonly url: string;
  /** The address the HTTP server is bound to (`127.0.0.1` without a console token). */
  readonly host: string;
  readonly port: number;
  /** Resolves with the error of the first service that stopped on its own. */
  readonly failed: Promise<Error>;
  close(): Promise<void>;
}

/**
 * Starts the chosen services in one process with one ops server (`/metrics`, `/healthz`, `/readyz` on
 * `TACTFUL_HTTP_PORT`), the way `tactful run` does. Configuration and every service's files (journeys,
 * policy, templates) are checked before anything starts, and every problem is reported at once.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const config = loadConfig(RunConfig, options.env);
  // start order is the order of SERVICE_NAMES, whatever order --only named them in
  const chosen = SERVICE_NAMES.filter((name) => options.services.includes(name)).map((name) => {
    const starter = STARTERS[name];
    if (!starter) throw new Error(`service ${name} is not part of this build`);
    return { name, starter };
  });
  const prepared = await Promise.all(chosen.map(({ starter }) => starter.prepare?.(config)));

  const logger = options.logger ?? createLogger({ level: config.LOG_LEVEL, name: 'tactful' });
  const metrics = createMetrics();
  const readiness = createReadinessChecks({ metrics });
  const session = config.TACTFUL_CONSUMER_SESSION_TIMEOUT_MS;
  const overrides: RunOverrides = {
    consumerConfig: { sessionTimeout: session, heartbeatInterval: Math.max(300, Math.floor(session / 10)) },
    ...options.overrides,
  };
  const binding = httpBindingFor(config);
  const ops = createOpsServer({
    logger,
    registry: metrics.registry,
    port: config.TACTFUL_HTTP_PORT,
    host: overrides.host ?? binding.host,
    loopbackOnly: binding.loopbackOnly,
    readiness: () => readiness.report(),
  });
  const kafka = createKafkaClient({ brokers: config.KAFKA_BROKERS, clientId: 'tactful', logger });
  await ensureNamespaceTopics(kafka, config.TACTFUL_NAMESPACE, config.TACTFUL_TOPIC_PARTITIONS);
  const redis = createRedisClient(config.REDIS_URL);
  readiness.add('redis', async () => ({ ok: (await redis.ping()) === 'PONG' }));
  const store = createStore({ redis, namespace: config.TACTFUL_NAMESPACE });
  await store.ensureLayout();
  const runtime: Runtime = {
    config,
    kafka,
    redis,
    store,
    readiness,
    metrics,
    logger,
    app: ops.app,
    overrides,
  };

  const running: RunningService[] = [];
  const failures: Promise<Error>[] = [];
  try {
    for (const [i, { starter }] of chosen.entries()) {
      const service = await starter.start(runtime, prepared[i]);
      running.push(service);
      // a service that stops cleanly (close) is not a failure; only an error of its own is
      if (service.stopped)
        failures.push(service.stopped.then((err) => err ?? new Promise<Error>(() => undefined)));
    }
  } catch (err) {
    for (const service of running.reverse()) await service.close();
    redis.disconnect();
    throw err;
  }
  const { host, port, url } = await ops.listen();
  logger.info({ services: chosen.map((c) => c.name), url }, 'tactful running');

  let closing: Promise<void> | undefined;
  return {
    url,
    host,
    port,
    failed: Promise.race(failures.length > 0 ? failures : [new Promise<Error>(() => undefined)]),
    close() {
      closing ??= (async () => {
        // the HTTP server first (requests in flight get their answer), then services in reverse order
        await ops.close();
        for (const service of running.reverse()) await service.close();
        await redis.quit();
        logger.info('tactful stopped');
      })();
      return closing;
    },
  };
}
