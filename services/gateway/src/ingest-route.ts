import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EventRejection, TactfulEvent } from '@tactful/events';
import { prepareBatch, TactfulError } from '@tactful/events';
import type { Publisher } from '@tactful/events/publisher';
import type { Logger, TactfulMetrics } from '@tactful/observability';
import { checkBearerToken } from './bearer-token';
import { readRequest } from './read-request';

export interface IngestRouteDeps {
  /** `TACTFUL_INGEST_TOKEN`. */
  readonly token: string;
  /** `TACTFUL_INGEST_MAX_BYTES`: larger bodies get 413 without being read further. */
  readonly bodyLimitBytes: number;
  readonly publisher: Publisher;
  readonly metrics: Pick<TactfulMetrics, 'ingestRequests' | 'ingestDuration' | 'eventsPublished'>;
  readonly logger: Logger;
}

/** The body of every answer to `POST /events` that got as far as reading events. */
export interface IngestAnswer {
  /** Ids written to `N.events` and acknowledged by every in-sync replica, in request order. */
  readonly accepted: string[];
  /** The refused events, by position in the request (0 for a single event). Absent when none. */
  readonly rejected?: readonly EventRejection[];
  /** Why nothing was written, when Kafka could not take the events (503). */
  readonly error?: { readonly code: string; readonly message: string };
}

/**
 * The most events one request may carry. Validation is synchronous, so a request holds the event loop for
 * its whole batch, and every other request (and `/readyz`) waits; 1,000 bound that while leaving room for
 * any batch a form or a webhook sends. More events go in several requests.
 */
export const MAX_EVENTS_PER_REQUEST = 1000;

const CHALLENGE = 'Bearer realm="tactful-ingest"';
const RETRY_AFTER_SECONDS = '1';

/**
 * `POST /events`, as a fastify plugin in its own scope: its body parser (raw bytes, any content type) and
 * error handler do not leak onto the other routes of the ops server.
 *
 * Status: 202 when every event was written; 400 when any event is invalid, the valid ones of the same
 * request still being written (the body lists `accepted` and `rejected`); 401 without the right bearer
 * token; 413 over the body limit or over `MAX_EVENTS_PER_REQUEST` events (nothing written); 415 for a content type that cannot carry events; 503 when Kafka did not
 * acknowledge (the client retries; duplicates are dropped by event id).
 */
export function ingestRoute(deps: IngestRouteDeps) {
  const logger = deps.logger.child({ component: 'ingest' });
  const { metrics } = deps;

  return async function plugin(scope: FastifyInstance): Promise<void> {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    // Before the body is read, so an unauthenticated client cannot make the gateway buffer megabytes.
    scope.addHook('onRequest', async (request, reply) => {
      const check = checkBearerToken(request.headers.authorization, deps.token);
      if (check === 'ok') return;
      const challenge = check === 'missing' ? CHALLENGE : `${CHALLENGE}, error="invalid_token"`;
      await reply
        .code(401)
        .header('www-authenticate', challenge)
        .send(requestError('unauthorized', 'a valid bearer token (TACTFUL_INGEST_TOKEN) is required'));
    });

    scope.addHook('onResponse', async (_request, reply) => {
      const status = String(reply.statusCode);
      metrics.ingestRequests.inc({ status });
      metrics.ingestDuration.observe({ status }, reply.elapsedTime / 1000);
    });

    scope.setErrorHandler(async (error: FastifyError, request, reply) => {
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        return reply
          .code(413)
          .send(requestError('too_large', `the request body is over ${deps.bodyLimitBytes} bytes`));
      }
      if (error.statusCode !== undefined && error.statusCode < 500) {
        return reply.code(error.statusCode).send(requestError('bad_request', error.message));
      }
      request.log.error({ err: error }, 'ingest request failed');
      return reply.code(500).send(requestError('internal', 'the request failed; see the gateway log'));
    });

    scope.post('/events', { bodyLimit: deps.bodyLimitBytes }, (request, reply) =>
      postEvents(deps, logger, request, reply),
    );
  };
}

/** One `POST /events`, once authenticated: reads, validates and publishes the events it carries. */
async function postEvents(
  deps: IngestRouteDeps,
  logger: Logger,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const read = readRequest(request.headers, request.body as Buffer | undefined);
  if (!read.ok && read.status === 415) {
    return reply.code(415).send(requestError('unsupported_media_type', read.message));
  }
  if (!read.ok) return answer(reply, 400, { accepted: [], rejected: read.rejected });
  // counted before any event is validated: the per-event work is what a huge batch would cost
  if (read.values.length > MAX_EVENTS_PER_REQUEST) {
    return reply
      .code(413)
      .send(
        requestError(
          'too_many_events',
          `the request holds ${read.values.length} events, over the limit of ${MAX_EVENTS_PER_REQUEST} per request; send them in several requests`,
        ),
      );
  }

  const { prepared, rejected } = prepareBatch(read.values);
  const events: TactfulEvent[] = prepared.map((p) => p.event);
  try {
    if (events.length > 0) await deps.publisher.publish(events);
  } catch (err) {
    const kafkaDown = err instanceof TactfulError && err.code === 'kafka.unavailable';
    if (!kafkaDown) throw err;
    logger.error({ err, events: events.length }, 'Kafka did not acknowledge; answering 503');
    return answer(reply.header('retry-after', RETRY_AFTER_SECONDS), 503, {
      accepted: [],
      ...(rejected.length > 0 ? { rejected } : {}),
      error: { code: 'kafka_unavailable', message: 'the events could not be written; retry the request' },
    });
  }
  for (const event of events) deps.metrics.eventsPublished.inc({ type: event.type });
  const accepted = events.map((e) => e.id);
  if (rejected.length === 0) {
    logger.debug({ mode: read.mode, accepted: accepted.length }, 'accepted');
    return answer(reply, 202, { accepted });
  }
  logger.warn(
    {
      mode: read.mode,
      accepted: accepted.length,
      rejected: rejected.length,
      // the first few reasons are enough to see what a client gets wrong; a big batch would flood the log
      reasons: rejected.slice(0, 10).map(({ index, reason, path }) => ({ index, reason, path })),
    },
    'refused invalid events',
  );
  return answer(reply, 400, { accepted, rejected });
}

function answer(reply: FastifyReply, status: number, body: IngestAnswer): FastifyReply {
  return reply.code(status).send(body);
}

function requestError(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}
