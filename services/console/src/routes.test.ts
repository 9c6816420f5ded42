import { fastify } from 'fastify';
import { describe, expect, it } from 'vitest';
import { TactfulError } from '@tactful/events';
import { createLogger } from '@tactful/observability';
import { loadConsoleAssets } from './assets';
import type { ConsoleViews } from './console-views';
import { registerConsoleRoutes } from './routes';

const views = (over: Partial<ConsoleViews> = {}): ConsoleViews => ({
  info: () => ({ namespace: 'ns', sampleIntervalMs: 5000, historyPoints: 720 }),
  lag: () => ({
    at: null,
    intervalMs: 5000,
    error: null,
    groups: [],
    absent: [],
    history: { at: [], groups: {} },
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
  ...over,
});

async function app(over?: Partial<ConsoleViews>) {
  const server = fastify();
  await registerConsoleRoutes(
    server,
    views(over),
    await loadConsoleAssets(),
    createLogger({ level: 'silent', name: 't' }),
  );
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
  });

  it('answer the API in JSON, a bad customer id with 400, and Redis down with 503', async () => {
    const server = await app({
      journeys: async () => {
        throw new TactfulError('redis.unavailable', 'connection lost', { retriable: true });
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
    const down = await server.inject({ url: '/api/journeys' });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({ error: 'connection lost' });
  });
});
