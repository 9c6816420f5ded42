import { createKafkaClient, ensureNamespaceTopics, type ConsumerConfig } from '@tactful/kafka';
import {
  createLogger,
  createMetrics,
  createOpsServer,
  createReadinessChecks,
  httpBindingFor,
  loadConfig,
  type Logger,
} from '@tactful/observability';
import { createRedisClient, createStore } from '@tactful/store-redis';
import { prepareAll } from './prepare-all';
import type { ServiceResources } from './resources';
import { ServiceConfig } from './service-config';
import type { RunningService, ServiceEntry } from './starter';

export interface StartServicesOptions {
  readonly env: NodeJS.ProcessEnv;
  /** The services, in start order (close runs in reverse), each with a name for the log. */
  readonly services: readonly { readonly name: string; readonly entry: ServiceEntry }[];
  /** The process's name: its logger's `name` and its Kafka `clientId` (`tactful`, `tactful-gateway`). */
  readonly name: string;
  readonly logger?: Logger;
  /** Where the HTTP server listens, instead of what the configuration says (tests: loopback). */
  readonly host?: string;
  readonly now?: () => Date;
  /** kafkajs consumer timings, instead of those derived from TACTFUL_CONSUMER_SESSION_TIMEOUT_MS. */
  readonly consumerConfig?: Omit<ConsumerConfig, 'groupId'>;
}

export interface StartedServices {
  readonly url: string;
  /** The address the HTTP server is bound to (`127.0.0.1` without a console token). */
  readonly host: string;
  readonly port: number;
  /** The process's logger (the one given, or the one made from LOG_LEVEL). */
  readonly logger: Logger;
  /** Resolves with the error of the first service that stopped on its own. */
  readonly failed: Promise<Error>;
  close(): Promise<void>;
}

const never = (): Promise<Error> => new Promise<Error>(() => undefined);

/**
 * Starts services in one process with one ops server (`/metrics`, `/healthz`, `/readyz` on
 * `TACTFUL_HTTP_PORT`): the composition root `tactful run` and every service's `main.ts` share.
 * Configuration and every service's files are checked (each `prepare`) before anything starts, and every
 * problem is reported at once.
 */
export async function startServices(options: StartServicesOptions): Promise<StartedServices> {
  const config = loadConfig(ServiceConfig, options.env);
  const prepared = await prepareAll(
    options.services.map(({ entry }) => entry),
    config,
  );

  const logger = options.logger ?? createLogger({ level: config.LOG_LEVEL, name: options.name });
  const metrics = createMetrics();
  const readiness = createReadinessChecks({ metrics });
  const session = config.TACTFUL_CONSUMER_SESSION_TIMEOUT_MS;
  const binding = httpBindingFor(config);
  const ops = createOpsServer({
    logger,
    registry: metrics.registry,
    port: config.TACTFUL_HTTP_PORT,
    host: options.host ?? binding.host,
    loopbackOnly: binding.loopbackOnly,
    readiness: () => readiness.report(),
  });
  const kafka = createKafkaClient({ brokers: config.KAFKA_BROKERS, clientId: options.name, logger });
  await ensureNamespaceTopics(kafka, config.TACTFUL_NAMESPACE, config.TACTFUL_TOPIC_PARTITIONS);
  const redis = createRedisClient(config.REDIS_URL);
  readiness.add('redis', async () => ({ ok: (await redis.ping()) === 'PONG' }));
  const store = createStore({ redis, namespace: config.TACTFUL_NAMESPACE });
  await store.ensureLayout();
  const resources: ServiceResources = {
    config,
    namespace: config.TACTFUL_NAMESPACE,
    kafka,
    redis,
    store,
    readiness,
    metrics,
    logger,
    app: ops.app,
    now: options.now ?? (() => new Date()),
    consumerConfig: options.consumerConfig ?? {
      sessionTimeout: session,
      heartbeatInterval: Math.max(300, Math.floor(session / 10)),
    },
  };

  const running: RunningService[] = [];
  const failures: Promise<Error>[] = [];
  try {
    for (const service of prepared) {
      const started = await service.start(resources);
      running.push(started);
      // a service that stops cleanly (close) is not a failure; only an error of its own is
      if (started.stopped) failures.push(started.stopped.then((err) => err ?? never()));
    }
  } catch (err) {
    for (const service of running.reverse()) await service.close();
    redis.disconnect();
    throw err;
  }
  const { host, port, url } = await ops.listen();
  logger.info({ services: options.services.map((s) => s.name), url }, `${options.name} running`);

  let closing: Promise<void> | undefined;
  return {
    url,
    host,
    port,
    logger,
    failed: Promise.race(failures.length > 0 ? failures : [never()]),
    close() {
      closing ??= (async () => {
        // the HTTP server first (requests in flight get their answer), then services in reverse order
        await ops.close();
        for (const service of running.reverse()) await service.close();
        await redis.quit();
        logger.info(`${options.name} stopped`);
      })();
      return closing;
    },
  };
}
