import type { FastifyInstance } from 'fastify';
import { CustomerId, TactfulError } from '@tactful/events';
import type { Logger } from '@tactful/observability';
import type { ConsoleAssets } from './assets';
import type { ConsoleViews } from './console-views';

// The page is static; all data goes through the JSON API and is put into the page as text (never as
// HTML) by console.js. The policy below makes the browser refuse any script or style but the console's
// own, so even a record that slipped through as markup could not run.
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Registers `GET /`, its assets and `GET /api/…` in a plugin of their own (error handler included). */
export async function registerConsoleRoutes(
  app: FastifyInstance,
  views: ConsoleViews,
  assets: ConsoleAssets,
  logger: Logger,
): Promise<void> {
  await app.register(async (scope) => {
    scope.addHook('onSend', async (_request, reply) => {
      reply.header('x-content-type-options', 'nosniff');
      reply.header('cache-control', 'no-store');
    });
    scope.setErrorHandler((err, request, reply) => {
      // Redis or Kafka down is the caller's cue to try again; anything else is ours to fix
      const unavailable = err instanceof TactfulError && err.retriable;
      logger.error({ err, url: request.url }, 'console request failed');
      return reply
        .code(unavailable ? 503 : 500)
        .send({ error: err instanceof Error ? err.message : String(err) });
    });

    scope.get('/', async (_request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', CONTENT_SECURITY_POLICY)
        .send(assets.html),
    );
    scope.get<{ Params: { file: string } }>('/assets/:file', async (request, reply) => {
      // only the files the console ships: a name is looked up, never joined to a path
      const asset = assets.files.get(request.params.file);
      if (asset === undefined) return reply.code(404).send({ error: 'no such asset' });
      return reply.type(asset.type).send(asset.body);
    });

    scope.get('/api/info', async () => views.info());
    scope.get('/api/lag', async () => views.lag());
    scope.get('/api/journeys', async () => ({ journeys: await views.journeys() }));
    scope.get('/api/decisions', async () => ({ decisions: views.decisions() }));
    scope.get('/api/dead-letters', async () => ({ deadLetters: views.deadLetters() }));
    // the id in the query, not the path: an id may be 256 characters, beyond what a path parameter may hold
    scope.get<{ Querystring: { id?: string } }>('/api/customer', async (request, reply) => {
      const id = CustomerId.safeParse(request.query.id);
      if (!id.success)
        return reply
          .code(400)
          .send({ error: `not a customer id: ${id.error.issues[0]?.message ?? 'invalid'}` });
      return views.customer(id.data);
    });
  });
}
