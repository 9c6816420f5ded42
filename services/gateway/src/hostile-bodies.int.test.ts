import fc from 'fast-check';
import { afterEach, describe, expect } from 'vitest';
import { DEFAULT_MAX_JSON_DEPTH, REJECTION_REASONS } from '@tactful/events';
import { hostileJsonTextArb, nestedJsonArb, test } from '@tactful/testing';
import { MAX_EVENTS_PER_REQUEST } from './ingest-route';
import type { IngestAnswer } from './ingest-route';
import { event, eventsInTopic, post, startForTest, stopGateways } from './test-kit';

// POST /events on the real broker with whatever a client may send: never a 500, never a thrown request;
// always 202, or 400 with a reason per refused event, or 413 for a request over the limits.

afterEach(stopGateways);

const MODES: Record<string, Record<string, string>> = {
  structured: { 'content-type': 'application/cloudevents+json' },
  batch: { 'content-type': 'application/cloudevents-batch+json' },
  json: { 'content-type': 'application/json' },
  binary: {
    'content-type': 'application/json',
    'ce-specversion': '1.0',
    'ce-source': 'test/hostile',
    'ce-type': 'email.opened',
    'ce-subject': 'cust-1',
    'ce-time': '2026-11-23T10:00:00Z',
  },
};

let counter = 0;
const nextId = () => `evt-hostile-${(counter += 1)}`;
/** The headers of a request in `mode`; binary mode also names the event's id. */
const headersFor = (mode: string, id: string) =>
  mode === 'binary' ? { ...MODES[mode], 'ce-id': id } : (MODES[mode] ?? {});

function expectWellFormed(status: number, body: IngestAnswer & { error?: { code: string } }): void {
  expect([202, 400, 413]).toContain(status);
  if (status === 413) {
    expect(body.error?.code).toBe('too_many_events');
    return;
  }
  if (status === 202) expect(body.rejected).toBeUndefined();
  if (status === 400) {
    expect(body.rejected?.length).toBeGreaterThan(0);
    for (const rejection of body.rejected ?? []) {
      expect(REJECTION_REASONS).toContain(rejection.reason);
      expect(rejection.message.length).toBeGreaterThan(0);
    }
  }
}

describe('gateway: hostile bodies', () => {
  test('any JSON, deep, wide or broken, in any mode: 202, or 400 with a reason, or 413 for too many events; never a 500', async ({
    kafka,
  }) => {
    const [topic] = await kafka.createTopics(['events'], 1);
    const { url, metrics } = await startForTest(kafka.kafka, kafka.namespace);
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(
        hostileJsonTextArb({ maxLevels: 20_000, maxWidth: 3 * MAX_EVENTS_PER_REQUEST }),
        fc.constantFrom(...Object.keys(MODES)),
        async (text, mode) => {
          const res = await post(url, text, headersFor(mode, nextId()));
          const body = (await res.json()) as IngestAnswer & { error?: { code: string } };
          expectWellFormed(res.status, body);
          accepted += body.accepted?.length ?? 0;
        },
      ),
      { numRuns: 200 },
    );
    // what was answered as written is in Kafka, nothing more
    expect(await eventsInTopic(kafka, topic!)).toBe(accepted);
    expect(await metrics.registry.metrics()).not.toMatch(/tactful_ingest_requests_total\{status="5\d\d"\}/);
  });

  test('a valid event carrying a nested value: 202 within the depth limit, 400 too_deep past it, in every mode', async ({
    kafka,
  }) => {
    const [topic] = await kafka.createTopics(['events'], 1);
    const { url } = await startForTest(kafka.kafka, kafka.namespace);
    const placeholder = 'nested-value-placeholder-7f3a';
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(
        nestedJsonArb(10_000),
        fc.constantFrom(...Object.keys(MODES)),
        async (nested, mode) => {
          const id = nextId();
          const sent = event(id);
          const withNested = { ...sent, data: { ...sent.data, nested: placeholder } };
          const body =
            mode === 'binary'
              ? JSON.stringify({ template: 'wp-welcome', nested: placeholder })
              : JSON.stringify(mode === 'batch' ? [withNested] : withNested);
          const res = await post(
            url,
            body.replace(JSON.stringify(placeholder), () => nested.text),
            headersFor(mode, id),
          );
          const answer = (await res.json()) as IngestAnswer;
          // `data` is the event's second level, so the nested value makes it 2 + levels deep
          if (2 + nested.levels <= DEFAULT_MAX_JSON_DEPTH) {
            expect(res.status).toBe(202);
            expect(answer.accepted).toEqual([id]);
            accepted += 1;
          } else {
            expect(res.status).toBe(400);
            expect(answer.rejected?.[0]).toMatchObject({ index: 0, reason: 'too_deep' });
          }
        },
      ),
      { numRuns: 150 },
    );
    expect(await eventsInTopic(kafka, topic!)).toBe(accepted);
  });

  test(`more than ${MAX_EVENTS_PER_REQUEST} events in one request: 413 naming the limit, nothing written`, async ({
    kafka,
  }) => {
    const [topic] = await kafka.createTopics(['events'], 1);
    const { url } = await startForTest(kafka.kafka, kafka.namespace);
    const batch = (n: number) =>
      JSON.stringify(Array.from({ length: n }, (_, i) => event(`evt-many-${n}-${i}`)));
    const over = await post(url, batch(MAX_EVENTS_PER_REQUEST + 1), { 'content-type': 'application/json' });
    expect(over.status).toBe(413);
    const answer = (await over.json()) as { error: { code: string; message: string } };
    expect(answer.error.code).toBe('too_many_events');
    expect(answer.error.message).toContain(String(MAX_EVENTS_PER_REQUEST));
    expect(await eventsInTopic(kafka, topic!)).toBe(0);

    const atLimit = await post(url, batch(MAX_EVENTS_PER_REQUEST), { 'content-type': 'application/json' });
    expect(atLimit.status).toBe(202);
    expect(await eventsInTopic(kafka, topic!)).toBe(MAX_EVENTS_PER_REQUEST);
  });
});
