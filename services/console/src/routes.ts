import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CustomerId, TactfulError } from '@tactful/events';
import { JourneyId } from '@tactful/journeys';
import type { Logger } from '@tactful/observability';
import type { ConsoleAssets } from './assets';
import type { ConsoleAuth } from './console-auth';
import type { ConsoleViews } from './console-views';

// The page is static; all data goes through the JSON API and is put into the page as text (never as
// HTML) by console.js. The policy below makes the browser refuse any script or style but the console's
// own, so even a record that slipped through as markup could not run.
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "frame-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

// The frame where Mermaid lays a diagram out before it is shown (`journey-view.js`): Mermaid measures the
// text in a live document and styles it with a <style> element and `style` attributes, which the page's
// policy refuses. This page, a hidden frame of the console only, runs Mermaid's script and nothing else
// (the console's own scripts only, as the page) and takes inline styles; the page moves each drawing
// into itself with its styles as CSSOM rules, which its policy does not govern.
const DIAGRAM_BOARD_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'unsafe-inline'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
].join('; ');
const DIAGRAM_BOARD =
  '<!doctype html><html lang="en"><head><meta charset="utf-8" /><title>diagram board</title><script src="/assets/mermaid.min.js"></script></head><body></body></html>';

/** The largest login form read: a token and its field name. */
const LOGIN_BODY_LIMIT = 4096;

export interface ConsoleRouteOptions {
  /** With `TACTFUL_CONSOLE_TOKEN`: the page and `/api/*` need it. Undefined: open (loopback only). */
  readonly auth?: ConsoleAuth;
  /** Epoch ms, for session expiry. */
  readonly now?: () => number;
}

/**
 * Registers `GET /`, its assets and `GET /api/…` in a plugin of their own (error handler included), and
 * with a console token the login (`GET`/`POST /login`, `POST /logout`) and the guard in front of the page
 * and the API. The assets (script and style, nothing of the data) stay open: the login form uses the
 * style. `/metrics` and the probes are the ops server's, outside this plugin, and stay open.
 */
export async function registerConsoleRoutes(
  app: FastifyInstance,
  views: ConsoleViews,
  assets: ConsoleAssets,
  logger: Logger,
  options: ConsoleRouteOptions = {},
): Promise<void> {
  const { auth } = options;
  const now = options.now ?? Date.now;
  const page = (reply: FastifyReply, html: string, code = 200) =>
    reply
      .code(code)
      .type('text/html; charset=utf-8')
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .send(html);
  const loggedIn = (request: FastifyRequest) =>
    auth === undefined ||
    auth.authorized({ authorization: request.headers.authorization, cookie: request.headers.cookie }, now());

  await app.register(async (scope) => {
    scope.addHook('onSend', async (_request, reply) => {
      reply.header('x-content-type-options', 'nosniff');
      reply.header('cache-control', 'no-store');
    });
    scope.addHook('onRequest', async (request, reply) => {
      if (loggedIn(request)) return;
      const path = request.url.split('?')[0] ?? '';
      if (path === '/') return reply.code(303).header('location', '/login').send();
      if (path.startsWith('/api/'))
        return reply.code(401).header('www-authenticate', 'Bearer realm="tactful console"').send({
          error:
            'log in first: the console needs TACTFUL_CONSOLE_TOKEN (the login form, or Authorization: Bearer)',
        });
    });
    scope.setErrorHandler((err, request, reply) => {
      // Redis or Kafka down is the caller's cue to try again; anything else is ours to fix
      const unavailable = err instanceof TactfulError && err.retriable;
      logger.error({ err, url: request.url }, 'console request failed');
      return reply
        .code(unavailable ? 503 : 500)
        .send({ error: err instanceof Error ? err.message : String(err) });
    });

    scope.get('/', async (_request, reply) => page(reply, assets.html));
    scope.get('/diagram-board', async (_request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', DIAGRAM_BOARD_POLICY)
        .send(DIAGRAM_BOARD),
    );
    scope.get<{ Params: { file: string } }>('/assets/:file', async (request, reply) => {
      // only the files the console ships: a name is looked up, never joined to a path
      const asset = assets.files.get(request.params.file);
      if (asset === undefined) return reply.code(404).send({ error: 'no such asset' });
      return reply.type(asset.type).send(asset.body);
    });

    if (auth !== undefined) registerLogin(scope, auth, assets, now, page, loggedIn);
    else scope.get('/login', async (_request, reply) => reply.code(303).header('location', '/').send());

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
    scope.get<{ Querystring: { journey?: string } }>('/api/report', async (request, reply) => {
      const journey = JourneyId.safeParse(request.query.journey);
      if (!journey.success)
        return reply
          .code(400)
          .send({ error: `not a journey id: ${journey.error.issues[0]?.message ?? 'invalid'}` });
      return views.report(journey.data);
    });
    scope.get('/api/journey-views', async () => ({ journeys: await views.journeyViews() }));
  });
}

function registerLogin(
  scope: FastifyInstance,
  auth: ConsoleAuth,
  assets: ConsoleAssets,
  now: () => number,
  page: (reply: FastifyReply, html: string, code?: number) => FastifyReply,
  loggedIn: (request: FastifyRequest) => boolean,
): void {
  const failed = assets.login.replace('class="problem" hidden>', 'class="problem">');
  // the form posts url-encoded; the token is its only field
  scope.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: LOGIN_BODY_LIMIT },
    (_request, body, done) => done(null, new URLSearchParams(body as string)),
  );
  // behind a proxy that terminates TLS the request arrives as http: the header says how the browser came
  const secure = (request: FastifyRequest) =>
    request.protocol === 'https' || request.headers['x-forwarded-proto'] === 'https';

  scope.get('/login', async (request, reply) =>
    loggedIn(request) ? reply.code(303).header('location', '/').send() : page(reply, assets.login),
  );
  scope.post('/login', async (request, reply) => {
    const given = request.body instanceof URLSearchParams ? request.body.get('token') : null;
    if (given === null || !auth.isToken(given)) return page(reply, failed, 401);
    return reply
      .code(303)
      .header('set-cookie', auth.sessionCookie(now(), secure(request)))
      .header('location', '/')
      .send();
  });
  scope.post('/logout', async (_request, reply) =>
    reply.code(303).header('set-cookie', auth.clearCookie).header('location', '/login').send(),
  );
}
