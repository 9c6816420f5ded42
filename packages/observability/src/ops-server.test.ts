import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';
import { createMetrics } from './metrics';
import { createOpsServer } from './ops-server';
import { createReadinessChecks } from './readiness';

const silent = createLogger(
  { level: 'silent', name: 'test' },
  new Writable({ write: (_c, _e, done) => done() }),
);

function server() {
  const metrics = createMetrics({ defaultMetrics: false });
  const readiness = createReadinessChecks();
  const ops = createOpsServer({
    logger: silent,
    registry: metrics.registry,
    port: 0,
    host: '127.0.0.1',
    readiness: () => readiness.report(),
  });
  return { ops, metrics, readiness };
}

describe('createOpsServer', () => {
  it('answers /healthz while the process is alive', async () => {
    const { ops } = server();
    const res = await ops.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz 503 with the failing checks, 200 once all pass', async () => {
    const { ops, readiness } = server();
    let up = false;
    readiness.add('gateway.kafka', async () => ({ ok: up, detail: up ? 'ok' : 'broker unreachable' }));
    const down = await ops.app.inject({ method: 'GET', url: '/readyz' });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({
      ready: false,
      checks: { 'gateway.kafka': { ok: false, detail: 'broker unreachable' } },
    });
    up = true;
    const ready = await ops.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ ready: true });
  });

  it('serves the registry in the Prometheus text format', async () => {
    const { ops, metrics } = server();
    metrics.eventsPublished.inc({ type: 'form.submitted' });
    const res = await ops.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.body).toContain('# TYPE tactful_events_published_total counter');
    expect(res.body).toContain('tactful_events_published_total{type="form.submitted"} 1');
  });

  it('serves routes that services register, on the same port, and closes cleanly', async () => {
    const { ops } = server();
    await ops.app.register(async (scope) => {
      scope.get('/hello', async () => ({ hello: 'world' }));
    });
    const { url } = await ops.listen();
    const res = await fetch(`${url}/hello`);
    expect(await res.json()).toEqual({ hello: 'world' });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    await Promise.all([ops.close(), ops.close()]);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});
