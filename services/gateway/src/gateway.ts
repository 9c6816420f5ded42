import type { FastifyInstance } from 'fastify';
import { TactfulError, topicsFor } from '@tactful/events';
import { createPublisher, type Publisher } from '@tactful/events/publisher';
import type { Admin, Kafka, RetryOptions } from '@tactful/kafka';
import type { CheckResult, Logger, ReadinessChecks, TactfulMetrics } from '@tactful/observability';
import type { Store } from '@tactful/store-redis';
import { startInbound, type Inbound } from './inbound';
import { ingestRoute } from './ingest-route';
import { openApiRoute, readOpenApiDocument } from './openapi';
import type { InboundSettings } from './prepare';
import { unsubscribeRoute, type UnsubscribeRouteDeps } from './unsubscribe-route';

/** The links of emails (`/u/<token>`): served when the process has the dispatcher's link secret. */
export interface GatewayLinks {
  readonly signer: UnsubscribeRouteDeps['signer'];
  readonly topicsLeft: UnsubscribeRouteDeps['topicsLeft'];
}

/** Reply capture (inbound SMTP): where it listens, and the reply routes the dispatcher writes. */
export interface GatewayInbound extends InboundSettings {
  readonly routes: Pick<Store, 'replyRoute'>;
  /** The largest message accepted (default 10 MiB). */
  readonly maxBytes?: number;
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
    'ingestRequests' | 'ingestDuration' | 'eventsPublished' | 'unsubscribes' | 'repliesReceived'
  >;
  readonly logger: Logger;
  /** The link endpoints; undefined leaves them off (the routes are not registered). */
  readonly links?: GatewayLinks;
  /** Reply capture, which needs `links` (its signer and topics); undefined leaves it off. */
  readonly inbound?: GatewayInbound;
  readonly now?: () => Date;
  /**
   * Retries of one produce before the request is answered 503. The default gives up after about 10 s
   * (an HTTP client should hear back well before its own timeout); tests shrink it.
   */
  readonly producerRetry?: RetryOptions;
}

export interface Gateway {
  /** The port reply capture listens on, when it runs. */
  readonly inboundPort: number | undefined;
  /** Waits for the writes in flight, then disconnects from Kafka. Close the ops server first. */
  close(): Promise<void>;
}

const DEFAULT_PRODUCER_RETRY: RetryOptions = { retries: 5, initialRetryTime: 300, maxRetryTime: 3000 };

/**
 * The front door of what becomes an event: registers `POST /events` on the ops server and a
 * `gateway.kafka` readiness check, `/u/<token>` (with `links`), and `GET /openapi.json`, and starts reply
 * capture (with `inbound`, `inbound.ts`) with a `gateway.replies` check. Call it before the ops server
 * listens. Without an ingest token and links it registers only the document and says so.
 */
export async function startGateway(deps: GatewayDeps): Promise<Gateway> {
  const logger = deps.logger.child({ component: 'gateway' });
  openApiRoute(deps.app, readOpenApiDocument());
  if (deps.ingestToken === undefined)
    logger.warn('TACTFUL_INGEST_TOKEN is not set: the ingest API (POST /events) is disabled');
  if (deps.links === undefined)
    logger.warn('TACTFUL_LINK_SECRET is not set here: the links of emails (/u/<token>) are not served');
  if (deps.inbound !== undefined && deps.links === undefined)
    throw new TactfulError('config.invalid', 'reply capture needs the link secret (TACTFUL_LINK_SECRET)');
  if (deps.ingestToken === undefined && deps.links === undefined)
    return { inboundPort: undefined, close: async () => undefined };
  const topic = topicsFor(deps.namespace).events;
  const publisher: Publisher = createPublisher({
    kafka: deps.kafka,
    namespace: deps.namespace,
    logger,
    retry: deps.producerRetry ?? DEFAULT_PRODUCER_RETRY,
  });
  await publisher.connect();

  const admin = deps.kafka.admin();
  const removeChecks = [deps.readiness.add('gateway.kafka', kafkaCheck(admin, topic))];
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
  const inbound = await startCapture(deps, publisher);
  if (inbound !== undefined)
    removeChecks.push(
      deps.readiness.add('gateway.replies', async () => ({
        ok: inbound.isListening(),
        detail: `reply capture on port ${inbound.port}`,
      })),
    );
  else logger.info('reply capture is off (TACTFUL_SMTP_INBOUND_PORT unset)');

  return {
    inboundPort: inbound?.port,
    async close() {
      for (const remove of removeChecks) remove();
      await inbound?.close();
      await publisher.close();
      await admin.disconnect();
      logger.info('gateway closed');
    },
  };
}

/** Reply capture, when the deps ask for it: on the gateway's publisher, with the links' signer and topics. */
async function startCapture(deps: GatewayDeps, publisher: Publisher): Promise<Inbound | undefined> {
  if (deps.inbound === undefined || deps.links === undefined) return undefined;
  return startInbound({
    ...deps.inbound,
    signer: deps.links.signer,
    topicsLeft: deps.links.topicsLeft,
    publisher,
    metrics: deps.metrics,
    logger: deps.logger,
    now: deps.now ?? (() => new Date()),
  });
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
