import { fastify, LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { LOOPBACK_HOST } from './http-binding';
import type { Logger } from './logger';
import type { ReadinessReport } from './readiness';

export interface OpsServerOptions {
  readonly logger: Logger;
  /** Served by `GET /metrics` (from `createMetrics().registry`). */
  readonly registry: Registry;
  /** `TACTFUL_HTTP_PORT`; 0 picks a free port (tests). */
  readonly port: number;
  /** Where to listen (`httpBindingFor(config).host`); default loopback only. */
  readonly host?: string;
  /** Loopback only because no console token is set: said in the log at start, so nobody wonders why. */
  readonly loopbackOnly?: boolean;
  /** `createReadinessChecks().report`: `/readyz` is 200 only when it says ready. */
  readonly readiness: () => Promise<ReadinessReport>;
}

export interface OpsServer {
  /** The fastify instance: services register their routes on it (in a plugin) before `listen()`. */
  readonly app: FastifyInstance;
  /** Starts serving; resolves with the bound address and port, and a base URL to reach it. */
  listen(): Promise<{ host: string; port: number; url: string }>;
  /**
   * Stops accepting connections, answers 503 to requests that arrive meanwhile, waits for the requests in
   * flight (an ingest request waiting for Kafka still gets its answer), then closes. Idempotent.
   */
  close(): Promise<void>;
}

/**
 * The one HTTP server of a process: `/metrics`, `/healthz`, `/readyz`, and whatever routes the services it
 * runs register (the ingest API, the ops console), all on `TACTFUL_HTTP_PORT`.
 */
export function createOpsServer(options: OpsServerOptions): OpsServer {
  const logger = options.logger.child({ component: 'ops-server' });
  const app = fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // a request log line per Prometheus scrape and probe would drown the service's own lines; failures
    // (5xx) are still logged by fastify's error handler
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const report = await options.readiness();
    if (!report.ready) {
      const failing = Object.entries(report.checks)
        .filter(([, check]) => !check.ok)
        .map(([name]) => name);
      logger.warn({ failing }, 'not ready');
    }
    return reply.code(report.ready ? 200 : 503).send(report);
  });

  app.get('/metrics', async (_request, reply) => {
    const body = await options.registry.metrics();
    return reply.type(options.registry.contentType).send(body);
  });

  let closing: Promise<void> | undefined;
  return {
    app,
    async listen() {
      const host = options.host ?? LOOPBACK_HOST;
      await app.listen({ port: options.port, host });
      const address = app.server.address();
      const port = typeof address === 'object' && address !== null ? address.port : options.port;
      const bound = typeof address === 'object' && address !== null ? address.address : host;
      const url = `http://${host === '0.0.0.0' || host === '::' ? LOOPBACK_HOST : host}:${port}`;
      if (options.loopbackOnly === true)
        logger.warn(
          { port, host },
          'ops server listening on loopback only: TACTFUL_CONSOLE_TOKEN is unset, so the console, the API, the probes and /metrics are not reachable from other machines',
        );
      else logger.info({ port, host }, 'ops server listening');
      return { host: bound, port, url };
    },
    close() {
      closing ??= app.close().then(() => logger.info('ops server closed'));
      return closing;
    },
  };
}
