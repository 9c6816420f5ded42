// Test support for this package's integration tests (not exported from index.ts): a gateway on its own
// ops server, on the test's namespace, and requests to it.
import { Writable } from 'node:stream';
import { EXAMPLE_EVENTS, type TactfulEvent } from '@tactful/events';
import type { Kafka } from '@tactful/kafka';
import {
  createLogger,
  createMetrics,
  createOpsServer,
  createReadinessChecks,
  type OpsServer,
} from '@tactful/observability';
import type { KafkaFixture } from '@tactful/testing';
import { startGateway, type Gateway, type GatewayInbound, type GatewayLinks } from './gateway';

export const TOKEN = 'test-ingest-token-0123456789';
const form = EXAMPLE_EVENTS['form.submitted'];
export const event = (id: string, subject = 'cust-42'): TactfulEvent => ({ ...form, id, subject });

export interface Running {
  url: string;
  ops: OpsServer;
  gateway: Gateway;
  metrics: ReturnType<typeof createMetrics>;
  logLines: string[];
}

const started: Running[] = [];

/** Closes every gateway a test started (its ops server first, so no request is cut). */
export async function stopGateways(): Promise<void> {
  for (const r of started.splice(0)) {
    await r.ops.close();
    await r.gateway.close();
  }
}

export async function startForTest(
  kafka: Kafka,
  namespace: string,
  options: {
    token?: string | undefined;
    bodyLimitBytes?: number;
    links?: GatewayLinks;
    inbound?: GatewayInbound;
    now?: () => Date;
  } = {},
): Promise<Running> {
  const logLines: string[] = [];
  const logger = createLogger(
    { level: 'info', name: 'gateway-test' },
    new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        logLines.push(chunk.toString());
        done();
      },
    }),
  );
  const metrics = createMetrics({ defaultMetrics: false });
  const readiness = createReadinessChecks({ metrics, timeoutMs: 1500 });
  const ops = createOpsServer({
    logger,
    registry: metrics.registry,
    port: 0,
    host: '127.0.0.1',
    readiness: () => readiness.report(),
  });
  const gateway = await startGateway({
    app: ops.app,
    kafka,
    namespace,
    ingestToken: 'token' in options ? options.token : TOKEN,
    bodyLimitBytes: options.bodyLimitBytes ?? 5 * 1024 * 1024,
    readiness,
    metrics,
    logger,
    producerRetry: { retries: 1, initialRetryTime: 100, maxRetryTime: 300 },
    ...(options.links === undefined ? {} : { links: options.links }),
    ...(options.inbound === undefined ? {} : { inbound: options.inbound }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const { url } = await ops.listen();
  const running = { url, ops, gateway, metrics, logLines };
  started.push(running);
  return running;
}

export function post(url: string, body: string | Buffer, headers: Record<string, string> = {}) {
  return fetch(`${url}/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, ...headers },
    body,
  });
}

export async function eventsInTopic(kafka: KafkaFixture, topic: string): Promise<number> {
  const offsets = await kafka.admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, p) => sum + Number(p.high), 0);
}
