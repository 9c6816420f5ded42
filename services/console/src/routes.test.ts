import { fastify } from 'fastify';
import { describe, expect, it } from 'vitest';
import { TactfulError } from '@tactful/events';
import { createLogger } from '@tactful/observability';
import { loadConsoleAssets } from './assets';
import type { ConsoleViews } from './console-views';
import { createConsoleAuth } from './console-auth';
import { registerConsoleRoutes, type ConsoleRouteOptions } from './routes';

const views = (over: Partial<ConsoleViews> = {}): ConsoleViews => ({
  info: () => ({ namespace: 'ns', sampleIntervalMs: 5000, historyPoints: 720, login: false }),
  lag: () => ({
    at: null,
    intervalMs: 5000,
    error: null,
    groups: [],
    absent: [],
    history: { at: [], groups: {} },
    haltSignals: null,
  }),
  journeys: async () => [],
  decisions: () => [],
  deadLetters: () => [],
  customer: async (customerId) => ({
    customerId,
    known: false,
    version: 0,
    summary: null,
    timeline: [],
    timers: [],
    halts: [],
  }),
  report: async (journey) => ({
    at: 0,
    read: { audit: 0, events: 0, invalid: 0 },
    report: { journey, versions: [], rows: [], attributedByLastSend: 0, method: 'm' },
  }),
  journeyViews: async () => [],
  ...over,
});

const TOKEN = 'a-console-token-for-the-tests';

async function app(over?: Partial<ConsoleViews>, options: ConsoleRouteOptions = {}) {
  const server = fastify();
  await registerConsoleRoutes(
    server,
    views(over),
    await loadConsoleAssets(),
    createLogger({ level: 'silent', name: 't' }),
    options,
  );
  // what the ops server serves beside the console, outside its plugin
  server.get('/metrics', async () => 'tactful_up 1\n');
  server.get('/readyz', async () => ({ ready: true }));
  return server;
}

describe('the console routes', () => {
  it('serve the page under a policy that allows only its own scripts, and its assets by name only', async () => {
    const server = await app();
    const page = await server.inject({ url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.body).toContain('<script type="module" src="/assets/console.js">');
    for (const file of ['console.js', 'dom.js', 'lag-chart.js', 'console.css'])
      expect((await server.inject({ url: `/assets/${file}` })).statusCode).toBe(200);
    expect((await server.inject({ url: '/assets/..%2Fassets.ts' })).statusCode).toBe(404);
    expect((await server.inject({ url: '/assets/index.html' })).statusCode).toBe(404);
    // the diagrams are drawn by Mermaid's browser build, served by the console itself
    for (const file of ['journey-view.js', 'mermaid.min.js']) {
      const asset = await server.inject({ url: `/assets/${file}` });
      expect(asset.statusCode).toBe(200);
      expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    }
    expect(page.headers['content-security-policy']).toContain("style-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-src 'self'");
    expect(page.headers['content-security-policy']).not.toContain('unsafe');
    expect(page.body).toMatch(/<iframe\s+id="diagram-board"\s+src="\/diagram-board"/);
    // the hidden frame Mermaid lays the diagrams out in: its script only, inline styles, framed by the console only
    const board = await server.inject({ url: '/diagram-board' });
    expect(board.statusCode).toBe(200);
    expect(board.body).toContain('<script src="/assets/mermaid.min.js"></script>');
    const boardPolicy = board.headers['content-security-policy'];
    expect(boardPolicy).toContain("script-src 'self'");
    expect(boardPolicy).toContain("style-src 'unsafe-inline'");
    expect(boardPolicy).toContain("frame-ancestors 'self'");
    expect(boardPolicy).not.toContain('unsafe-eval');
  });

  it('answer the API in JSON, a bad customer or journey id with 400, and Redis down with 503', async () => {
    const server = await app({
      journeys: async () => {
        throw TactfulError.retriable('redis.unavailable', 'connection lost');
      },
    });
    expect((await server.inject({ url: '/api/info' })).json()).toMatchObject({ namespace: 'ns' });
    expect((await server.inject({ url: '/api/customer?id=%3Cb%3E' })).json()).toMatchObject({
      customerId: '<b>',
      known: false,
    });
    // as long as the contract allows, and not longer
    const longest = 'x'.repeat(256);
    expect((await server.inject({ url: `/api/customer?id=${longest}` })).json()).toMatchObject({
      customerId: longest,
    });
    expect((await server.inject({ url: `/api/customer?id=${longest}x` })).statusCode).toBe(400);
    expect((await server.inject({ url: '/api/customer' })).statusCode).toBe(400);
    expect((await server.inject({ url: '/api/report?journey=spring' })).json()).toMatchObject({
      report: { journey: 'spring' },
    });
    expect((await server.inject({ url: '/api/report?journey=no%20spaces' })).statusCode).toBe(400);
    expect((await server.inject({ url: '/api/report' })).statusCode).toBe(400);
    const down = await server.inject({ url: '/api/journeys' });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({ error: 'connection lost' });
  });

  it('without a console token, open: the page and the API answer, /login leads to the page', async () => {
    const server = await app();
    expect((await server.inject({ url: '/' })).statusCode).toBe(200);
    expect((await server.inject({ url: '/api/lag' })).statusCode).toBe(200);
    const login = await server.inject({ url: '/login' });
    expect([login.statusCode, login.headers.location]).toEqual([303, '/']);
  });

  describe('with a console token', () => {
    const secured = () => app(undefined, { auth: createConsoleAuth(TOKEN) });

    it('answers /api/* with 401 and sends the page to the login form; probes, metrics and assets stay open', async () => {
      const server = await secured();
      for (const url of [
        '/api/info',
        '/api/lag',
        '/api/journeys',
        '/api/decisions',
        '/api/dead-letters',
        '/api/customer?id=ann',
      ]) {
        const res = await server.inject({ url });
        expect(res.statusCode, url).toBe(401);
        expect(res.headers['www-authenticate']).toBe('Bearer realm="tactful console"');
        expect(res.json().error).toMatch(/log in first/);
      }
      const page = await server.inject({ url: '/' });
      expect([page.statusCode, page.headers.location]).toEqual([303, '/login']);
      const form = await server.inject({ url: '/login' });
      expect(form.statusCode).toBe(200);
      expect(form.body).toContain('<form id="login-form" method="post" action="/login">');
      expect(form.headers['content-security-policy']).toContain("form-action 'self'");
      expect((await server.inject({ url: '/metrics' })).statusCode).toBe(200);
      expect((await server.inject({ url: '/readyz' })).statusCode).toBe(200);
      expect((await server.inject({ url: '/assets/console.css' })).statusCode).toBe(200);
      // a wrong bearer is no better than none
      expect(
        (await server.inject({ url: '/api/info', headers: { authorization: 'Bearer nope' } })).statusCode,
      ).toBe(401);
    });

    it('answers a script that sends the token as a bearer', async () => {
      const server = await secured();
      const res = await server.inject({ url: '/api/info', headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.statusCode).toBe(200);
    });

    it('logs a person in with the form: a session cookie, HttpOnly and SameSite=Strict; a wrong token is refused', async () => {
      const server = await secured();
      const wrong = await server.inject({
        method: 'POST',
        url: '/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'token=guess',
      });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.headers['set-cookie']).toBeUndefined();
      expect(wrong.body).toContain('<p id="login-failed" class="problem">That is not the console token.');

      const right = await server.inject({
        method: 'POST',
        url: '/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ token: TOKEN }).toString(),
      });
      expect([right.statusCode, right.headers.location]).toEqual([303, '/']);
      const setCookie = String(right.headers['set-cookie']);
      expect(setCookie).toMatch(/^tactful_console=v1\.[^;]+; Path=\/; HttpOnly; SameSite=Strict/);
      expect(setCookie).not.toContain(TOKEN);
      const cookie = setCookie.split(';')[0]!;
      expect((await server.inject({ url: '/', headers: { cookie } })).statusCode).toBe(200);
      expect((await server.inject({ url: '/api/info', headers: { cookie } })).statusCode).toBe(200);
      const again = await server.inject({ url: '/login', headers: { cookie } });
      expect([again.statusCode, again.headers.location]).toEqual([303, '/']);

      const out = await server.inject({ method: 'POST', url: '/logout', headers: { cookie } });
      expect([out.statusCode, out.headers.location]).toEqual([303, '/login']);
      expect(String(out.headers['set-cookie'])).toMatch(/^tactful_console=; .*Max-Age=0/);
    });
  });
});
