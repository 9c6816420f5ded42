import net from 'node:net';
import { afterEach, describe, expect } from 'vitest';
import { EXAMPLE_EVENTS, parseEvent } from '@tactful/events';
import { createKafkaClient } from '@tactful/kafka';
import { FAST_FAIL_RETRY, startTcpProxy, test, type TcpProxy } from '@tactful/testing';
import { event, eventsInTopic, post, startForTest, stopGateways, TOKEN } from './test-kit';

let proxy: TcpProxy | undefined;
afterEach(async () => {
  await stopGateways();
  await proxy?.close();
  proxy = undefined;
});

describe('gateway: POST /events', () => {
  test('one structured event: 202 after Kafka acknowledged, keyed by subject, bytes a valid event', async ({
    kafka,
  }) => {
    const [topic] = await kafka.createTopics(['events'], 3);
    const { url, metrics } = await startForTest(kafka.kafka, kafka.namespace);
    const sent = event('evt-one');
    const res = await post(url, JSON.stringify(sent), { 'content-type': 'application/cloudevents+json' });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: ['evt-one'] });

    const [message] = await kafka.readMessages(topic!, 1);
    expect(message?.key?.toString()).toBe('cust-42');
    expect(parseEvent(message!.value, message!.key)).toEqual({ ok: true, event: sent });
    const text = await metrics.registry.metrics();
    expect(text).toContain('tactful_ingest_requests_total{status="202"} 1');
    expect(text).toContain('tactful_events_published_total{type="form.submitted"} 1');
  });

  test('a batch with one bad event: 400 naming it, the good ones written, the bad one not', async ({
    kafka,
  }) => {
    const [topic] = await kafka.createTopics(['events'], 3);
    const { url } = await startForTest(kafka.kafka, kafka.namespace);
    const bad = { ...event('evt-bad'), data: { formId: 'f', email: 'not-an-email' } };
    const batch = [event('evt-a', 'cust-1'), bad, event('evt-c', 'cust-2')];
    const res = await post(url, JSON.stringify(batch), {
      'content-type': 'application/cloudevents-batch+json',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      accepted: ['evt-a', 'evt-c'],
      rejected: [
        {
          index: 1,
          id: 'evt-bad',
          reason: 'schema_violation',
          message: expect.any(String),
          path: 'data.email',
        },
      ],
    });
    const messages = await kafka.readMessages(topic!, 2);
    expect(messages.map((m) => JSON.parse(m.value!.toString()).id).sort()).toEqual(['evt-a', 'evt-c']);
    expect(await eventsInTopic(kafka, topic!)).toBe(2);
  });

  test('a plain JSON array is a batch; timer.fired is refused', async ({ kafka }) => {
    const [topic] = await kafka.createTopics(['events'], 1);
    const { url } = await startForTest(kafka.kafka, kafka.namespace);
    const res = await post(url, JSON.stringify([event('evt-1'), EXAMPLE_EVENTS['timer.fired']]), {
      'content-type': 'application/json',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      accepted: ['evt-1'],
      rejected: [{ index: 1, id: 'timer-5b1d', reason: 'internal_type' }],
    });
    await kafka.readMessages(topic!, 1);
    expect(await eventsInTopic(kafka, topic!)).toBe(1);
  });

  test('binary mode: attributes from ce-* headers, data from the body, time kept as sent', async ({
    kafka,
  }) => {
    const [topic] = await kafka.createTopics(['events'], 1);
    const { url } = await startForTest(kafka.kafka, kafka.namespace);
    const headers = {
      'content-type': 'application/json',
      'ce-specversion': '1.0',
      'ce-id': 'evt-binary',
      'ce-source': 'esp/webhooks',
      'ce-type': 'email.opened',
      'ce-subject': 'cust-7',
      'ce-time': '2026-11-23T11:00:00+01:00',
      'ce-traceparent': '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    };
    const res = await post(url, JSON.stringify({ template: 'wp-welcome' }), headers);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: ['evt-binary'] });
    const [message] = await kafka.readMessages(topic!, 1);
    const parsed = parseEvent(message!.value, message!.key);
    expect(parsed).toEqual({
      ok: true,
      event: {
        specversion: '1.0',
        id: 'evt-binary',
        source: 'esp/webhooks',
        type: 'email.opened',
        subject: 'cust-7',
        time: '2026-11-23T11:00:00+01:00',
        datacontenttype: 'application/json',
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        data: { template: 'wp-welcome' },
      },
    });

    const { 'ce-id': _id, ...withoutId } = headers;
    const missing = await post(url, JSON.stringify({}), withoutId);
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ accepted: [], rejected: [{ index: 0, path: 'id' }] });
  });

  test('401 without a token or with a wrong one, with a Bearer challenge; nothing written', async ({
    kafka,
  }) => {
    const [topic] = await kafka.createTopics(['events'], 1);
    const { url, metrics } = await startForTest(kafka.kafka, kafka.namespace);
    const body = JSON.stringify(event('evt-x'));
    const none = await fetch(`${url}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="tactful-ingest"');
    expect(await none.json()).toMatchObject({ error: { code: 'unauthorized' } });
    const wrong = await post(url, body, {
      'content-type': 'application/json',
      authorization: `Bearer ${TOKEN}-no`,
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    expect(await eventsInTopic(kafka, topic!)).toBe(0);
    expect(await metrics.registry.metrics()).toContain('tactful_ingest_requests_total{status="401"} 2');
  });

  test('413 past the body limit, 415 for a body that cannot carry events', async ({ kafka }) => {
    await kafka.createTopics(['events'], 1);
    const { url } = await startForTest(kafka.kafka, kafka.namespace, { bodyLimitBytes: 4096 });
    const big = JSON.stringify(Array.from({ length: 40 }, (_, i) => event(`evt-${i}`)));
    const tooLarge = await post(url, big, { 'content-type': 'application/json' });
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toMatchObject({ error: { code: 'too_large' } });
    const text = await post(url, 'hello', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
  });

  test('without TACTFUL_INGEST_TOKEN the route does not exist, and the log says so', async ({ kafka }) => {
    const { url, logLines } = await startForTest(kafka.kafka, kafka.namespace, { token: undefined });
    const res = await post(url, JSON.stringify(event('evt-1')), { 'content-type': 'application/json' });
    expect(res.status).toBe(404);
    expect(logLines.join('')).toMatch(
      /TACTFUL_INGEST_TOKEN is not set: the ingest API \(POST \/events\) is disabled/,
    );
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  test('Kafka unreachable: 503 with Retry-After and not ready; 202 and ready again once it is back', async ({
    kafka,
    servers,
  }) => {
    const [topic] = await kafka.createTopics(['events'], 1);
    proxy = await startTcpProxy(servers.kafkaBrokers[0]!);
    const port = proxy.port;
    const through = createKafkaClient({
      brokers: [proxy.address],
      clientId: 'gateway-through-proxy',
      retry: FAST_FAIL_RETRY,
      requestTimeoutMs: 2000,
      connectionTimeoutMs: 500,
      socketFactory: ({ onConnect }) => net.connect({ host: '127.0.0.1', port }, onConnect),
    });
    const { url } = await startForTest(through, kafka.namespace);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);

    proxy.cut();
    const body = JSON.stringify([event('evt-down-1', 'cust-1'), event('evt-down-2', 'cust-2')]);
    const res = await post(url, body, { 'content-type': 'application/json' });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toMatchObject({ accepted: [], error: { code: 'kafka_unavailable' } });
    const notReady = await fetch(`${url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({ ready: false, checks: { 'gateway.kafka': { ok: false } } });
    expect(await eventsInTopic(kafka, topic!)).toBe(0);

    proxy.restore();
    const again = await post(url, body, { 'content-type': 'application/json' });
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual({ accepted: ['evt-down-1', 'evt-down-2'] });
    await kafka.readMessages(topic!, 2);
    expect(await eventsInTopic(kafka, topic!)).toBe(2);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });
});
