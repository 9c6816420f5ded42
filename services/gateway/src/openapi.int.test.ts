import net from 'node:net';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterEach, describe, expect } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createLinkSigner, EXAMPLE_EVENTS, PUBLIC_EVENT_TYPES, signUnsubscribeToken } from '@tactful/events';
import { createKafkaClient } from '@tactful/kafka';
import { createLogger, createMetrics, createOpsServer, createReadinessChecks } from '@tactful/observability';
import { FAST_FAIL_RETRY, startTcpProxy, test } from '@tactful/testing';
import { startGateway } from './gateway';
import { readOpenApiDocument } from './openapi';

// The OpenAPI document against the gateway itself: every documented operation and status is produced by a
// real request to a real gateway on a real Kafka, and every JSON answer is validated against the
// document's schema for it. Operations marked `x-tactful-pending` must not be served yet (404): when they
// are, this test fails until the mark goes and they are exercised here too. The links of emails
// (`/u/{token}`) are served, and every status of theirs is produced here.

const TOKEN = 'openapi-test-token-0123456789';
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface Operation {
  responses: Record<string, { content?: Record<string, unknown> }>;
  'x-tactful-pending'?: boolean;
}
type Document = { paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>> } & Record<
  string,
  unknown
>;

const document = readOpenApiDocument() as Document;
const operations = Object.entries(document.paths).flatMap(([path, item]) =>
  METHODS.flatMap((method) => (item[method] ? [{ path, method, operation: item[method] }] : [])),
);
const pointer = (...parts: string[]) =>
  parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema({ ...document, $id: 'openapi' });

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('the OpenAPI document', () => {
  test('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(validator.version).toBe('3.1');
    expect(result.valid).toBe(true);
  });

  test('names every public event type, and only those', () => {
    const schemas = (
      document.components as { schemas: Record<string, { properties: { type: { enum: string[] } } }> }
    ).schemas;
    expect(schemas.CloudEvent!.properties.type.enum).toEqual([...PUBLIC_EVENT_TYPES]);
  });

  test('describes what the gateway answers, route by route and status by status', async ({
    kafka,
    servers,
  }) => {
    await kafka.createTopics(['events'], 1);
    const proxy = await startTcpProxy(servers.kafkaBrokers[0]!);
    cleanups.push(() => proxy.close());
    const through = createKafkaClient({
      brokers: [proxy.address],
      clientId: 'openapi-test',
      retry: FAST_FAIL_RETRY,
      requestTimeoutMs: 2000,
      connectionTimeoutMs: 500,
      socketFactory: ({ onConnect }) => net.connect({ host: '127.0.0.1', port: proxy.port }, onConnect),
    });
    const logger = createLogger({ level: 'silent', name: 'openapi-test' });
    const metrics = createMetrics({ defaultMetrics: false });
    const signer = createLinkSigner(randomBytes(32).toString('hex'));
    const token = signUnsubscribeToken(signer, {
      customerId: 'cust-openapi',
      commandId: 'cmd-0123abcd',
      topic: 'newsletter',
    });
    const tampered = `${token.slice(0, -1)}${token.endsWith('0') ? '1' : '0'}`;
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const oneClick = { headers: form, body: 'List-Unsubscribe=One-Click' };
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
      kafka: through,
      namespace: kafka.namespace,
      ingestToken: TOKEN,
      bodyLimitBytes: 2048,
      readiness,
      metrics,
      logger,
      producerRetry: { retries: 1, initialRetryTime: 100, maxRetryTime: 300 },
      links: { signer, topicsLeft: async () => [] },
    });
    const { url } = await ops.listen();
    cleanups.push(async () => {
      await ops.close();
      await gateway.close();
    });

    const seen = new Set<string>();
    /** Sends a request for a documented operation and checks the answer against the document. */
    const call = async (path: string, method: 'get' | 'post', init: RequestInit = {}, route = path) => {
      const res = await fetch(`${url}${path}`, { ...init, method: method.toUpperCase() });
      const status = String(res.status);
      const response = document.paths[route]?.[method]?.responses[status];
      expect(
        response,
        `${method.toUpperCase()} ${route} answered ${status}, which is not documented`,
      ).toBeDefined();
      const type = res.headers.get('content-type')?.split(';')[0] ?? '';
      if (response!.content !== undefined) expect(Object.keys(response!.content)).toContain(type);
      if (type === 'application/json' && response!.content?.['application/json'] !== undefined) {
        const ref = `openapi#/${pointer('paths', route, method, 'responses', status, 'content', 'application/json', 'schema')}`;
        const validate = ajv.getSchema(ref);
        const body: unknown = await res.json();
        expect(validate?.(body), `${method} ${route} ${status}: ${JSON.stringify(validate?.errors)}`).toBe(
          true,
        );
      }
      seen.add(`${method} ${route} ${status}`);
      return res;
    };
    const auth = { authorization: `Bearer ${TOKEN}` };
    const structured = { ...auth, 'content-type': 'application/cloudevents+json' };
    const event = { ...EXAMPLE_EVENTS['form.submitted'], id: 'evt-openapi-1', subject: 'cust-openapi' };

    await call('/healthz', 'get');
    await call('/metrics', 'get');
    const served = await call('/openapi.json', 'get');
    expect(served.status).toBe(200);
    await call('/readyz', 'get');
    await call(`/u/${token}`, 'get', {}, '/u/{token}');
    await call(`/u/${tampered}`, 'get', {}, '/u/{token}');
    await call(`/u/${token}`, 'post', oneClick, '/u/{token}');
    await call(`/u/${tampered}`, 'post', oneClick, '/u/{token}');
    await call('/events', 'post', { headers: structured, body: JSON.stringify(event) });
    await call('/events', 'post', { headers: structured, body: JSON.stringify({ ...event, data: {} }) });
    await call('/events', 'post', {
      headers: { 'content-type': 'application/cloudevents+json' },
      body: '{}',
    });
    await call('/events', 'post', {
      headers: structured,
      body: JSON.stringify({ ...event, padding: 'x'.repeat(4096) }),
    });
    await call('/events', 'post', { headers: { ...auth, 'content-type': 'text/plain' }, body: 'hello' });
    proxy.cut();
    await call('/events', 'post', {
      headers: structured,
      body: JSON.stringify({ ...event, id: 'evt-openapi-2' }),
    });
    await call('/readyz', 'get');
    await call(`/u/${token}`, 'post', { headers: form, body: 'choice=all' }, '/u/{token}');
    proxy.restore();

    for (const { path, method, operation } of operations.filter((o) => o.operation['x-tactful-pending'])) {
      const concrete = path.replace(/\{[^}]+\}/g, 'a-token');
      expect(
        ops.app.hasRoute({ method: method.toUpperCase() as 'GET', url: path.replace(/\{([^}]+)\}/g, ':$1') }),
      ).toBe(false);
      expect(
        (await fetch(`${url}${concrete}`, { method: method.toUpperCase() })).status,
        `${method} ${path}`,
      ).toBe(404);
      expect(Object.keys(operation.responses).length).toBeGreaterThan(0);
    }
    // the links of emails are served, not pending
    for (const method of ['GET', 'POST'] as const)
      expect(ops.app.hasRoute({ method, url: '/u/:token' }), `${method} /u/:token`).toBe(true);
    expect(operations.filter((o) => o.path === '/u/{token}' && o.operation['x-tactful-pending'])).toEqual([]);
    const documented = operations
      .filter((o) => !o.operation['x-tactful-pending'])
      .flatMap(({ path, method, operation }) =>
        Object.keys(operation.responses).map((s) => `${method} ${path} ${s}`),
      );
    expect([...seen].sort()).toEqual(documented.sort());
  });
});
