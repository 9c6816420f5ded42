// Composition root of the gateway when it runs alone: configuration, logger, metrics, the ops server,
// Kafka, then the service. `tactful run` composes `startGateway` the same way, next to other services.
import { createKafkaClient, ensureNamespaceTopics } from '@tactful/kafka';
import {
  ConfigError,
  createLogger,
  createMetrics,
  createOpsServer,
  createReadinessChecks,
  httpBindingFor,
  loadConfig,
  runUntilSignal,
} from '@tactful/observability';
import { GatewayConfig } from './config';
import { startGateway } from './gateway';

// Past this, a shutdown that is still waiting (a stuck request, an unreachable broker) is abandoned.
const SHUTDOWN_DEADLINE_MS = 15_000;

async function main(): Promise<void> {
  let config: GatewayConfig;
  try {
    config = loadConfig(GatewayConfig, process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(2);
  }
  const logger = createLogger({ level: config.LOG_LEVEL, name: 'gateway' });
  const metrics = createMetrics();
  const readiness = createReadinessChecks({ metrics });
  const binding = httpBindingFor(config);
  const ops = createOpsServer({
    logger,
    registry: metrics.registry,
    port: config.TACTFUL_HTTP_PORT,
    host: binding.host,
    loopbackOnly: binding.loopbackOnly,
    readiness: () => readiness.report(),
  });
  const kafka = createKafkaClient({ brokers: config.KAFKA_BROKERS, clientId: 'tactful-gateway', logger });
  await ensureNamespaceTopics(kafka, config.TACTFUL_NAMESPACE, config.TACTFUL_TOPIC_PARTITIONS);

  const gateway = await startGateway({
    app: ops.app,
    kafka,
    namespace: config.TACTFUL_NAMESPACE,
    ingestToken: config.TACTFUL_INGEST_TOKEN,
    bodyLimitBytes: config.TACTFUL_INGEST_MAX_BYTES,
    readiness,
    metrics,
    logger,
  });
  await ops.listen();

  runUntilSignal({
    logger,
    deadlineMs: SHUTDOWN_DEADLINE_MS,
    // the server first: requests in flight get their answer from Kafka before the producer goes
    close: () => ops.close().then(() => gateway.close()),
  });
}

main().catch((err: unknown) => {
  console.error(`gateway: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
