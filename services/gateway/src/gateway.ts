import type { FastifyInstance } from 'fastify';
import { topicsFor } from '@tactful/events';
import { createPublisher, type Publisher } from '@tactful/events/publisher';
import type { Admin, Kafka, RetryOptions } from '@tactful/kafka';
import type { CheckResult, Logger, ReadinessChecks, TactfulMetrics } from '@tactful/observability';
import { ingestRoute } from './ingest-route';
import { openApiRoute, readOpenApiDocument } from './openapi';
import { unsubscribeRoute, type UnsubscribeRouteDeps } from './unsubscribe-route';

/** The links of emails (`/u/<token>`): served when the process has the dispatcher's link secret. */
export interface GatewayLinks {
  readonly signer: UnsubscribeRouteDeps['signer'];
  readonly topicsLeft: UnsubscribeRouteDeps['topicsLeft'];
}

export interface GatewayDeps {
  /** The ops server's fastify instance (`createOpsServer().app`), before it listens. */
  readonly app: FastifyInstance;
  readonly kafka: Kafka;
  /** `TACTFUL_NAMESPACE`: events are written to `<namespace>.events`. */
  readonly namespace: string;
  /** `TACTFUL_INGEST_TOKEN`; undefined leaves the ingest API off (the route is not registered). */
  readonly ingestToken: string | undefined;
  /** `TACTFUL_INGEST_MAX_BYTES`. */
  readonly bodyLimitBytes: number;
  readonly readiness: ReadinessChecks;
  readonly metrics: Pick<
    TactfulMetrics,
    'ingestRequests' | 'ingestDuration' | 'eventsPublished' | 'unsubscribes'
  >;
  readonly logger: Logger;
  /** The link endpoints; undefined leaves them off (the routes are not registered). */
  readonly links?: GatewayLinks;
  readonly now?: () => Date;
  /**
   * Retries of one produce before the request is answered 503. The default gives up after about 10 s
   * (an HTTP client should hear back well before its own timeout); tests shrink it.
   */
  readonly producerRetry?: RetryOptions;
}

export interface Gateway {
  /** Waits for the writes in flight, then disconnects from Kafka. Close the ops server first. */
  close(): Promise<void>;
}

const DEFAULT_PRODUCER_RETRY: RetryOptions = { retries: 5, initialRetryTime: 300, maxRetryTime: 3000 };

/**
 * The ingest API and the links of emails: registers `POST /events` on the ops server and a
 * `gateway.kafka` readiness check, `/u/<token>` (with `links`), and `GET /openapi.json`. Call it before
 * the ops server listens. Without an ingest token and links it registers only the document and says so.
 */
export async function startGateway(deps: GatewayDeps): Promise<Gateway> {
  const logger = deps.logger.child({ component: 'gateway' });
  openApiRoute(deps.app, readOpenApiDocument());
  if (deps.ingestToken === undefined)
    logger.warn('TACTFUL_INGEST_TOKEN is not set: the ingest API (POST /events) is disabled');
  if (deps.links === undefined)
    logger.warn('TACTFUL_LINK_SECRET is not set here: the links of emails (/u/<token>) are not served');
  if (deps.ingestToken === undefined && deps.links === undefined) return { close: async () => undefined };
  const topic = topicsFor(deps.namespace).events;
  const publisher: Publisher = createPublisher({
    kafka: deps.kafka,
    namespace: deps.namespace,
    logger,
    retry: deps.producerRetry ?? DEFAULT_PRODUCER_RETRY,
  });
  await publisher.connect();

  const admin = deps.kafka.admin();
  const removeCheck = deps.readiness.add('gateway.kafka', kafkaCheck(admin, topic));
  if (deps.ingestToken !== undefined) {
    await deps.app.register(
      ingestRoute({
        token: deps.ingestToken,
        bodyLimitBytes: deps.bodyLimitBytes,
        publisher,
        metrics: deps.metrics,
        logger,
      }),
    );
    logger.info({ topic, bodyLimitBytes: deps.bodyLimitBytes }, 'ingest API ready at POST /events');
  }
  if (deps.links !== undefined) {
    await deps.app.register(
      unsubscribeRoute({
        ...deps.links,
        publisher,
        metrics: deps.metrics,
        logger,
        now: deps.now ?? (() => new Date()),
      }),
    );
    logger.info({ topic }, 'links of emails served at /u/<token>');
  }

  return {
    async close() {
      removeCheck();
      await publisher.close();
      await admin.disconnect();
      logger.info('gateway closed');
    },
  };
}

/**
 * Ready when the broker answers a metadata request for `N.events` (and the topic exists). One probe at a
 * time: a slow broker must not pile up requests from a probe that polls every second.
 */
function kafkaCheck(admin: Admin, topic: string): () => Promise<CheckResult> {
  let probing: Promise<CheckResult> | undefined;
  const probe = async (): Promise<CheckResult> => {
    await admin.connect();
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    const partitions = metadata.topics[0]?.partitions.length ?? 0;
    return { ok: partitions > 0, detail: `${topic}: ${partitions} partitions` };
  };
  return () => {
    probing ??= probe().finally(() => {
      probing = undefined;
    });
    return probing;
  };
}
