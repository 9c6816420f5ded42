import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics';

describe('createMetrics', () => {
  it('exposes the Tactful metrics with the labels dashboards rely on', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.eventsProcessed.inc({ type: 'form.submitted', outcome: 'handled' });
    metrics.dlqMessages.inc({ source_topic: 'tactful.events', reason: 'invalid_json' }, 2);
    metrics.ingestRequests.inc({ status: '202' });
    metrics.eventsPublished.inc({ type: 'page.viewed' }, 3);
    const text = await metrics.registry.metrics();
    expect(text).toContain('tactful_events_processed_total{type="form.submitted",outcome="handled"} 1');
    expect(text).toContain(
      'tactful_dlq_messages_total{source_topic="tactful.events",reason="invalid_json"} 2',
    );
    expect(text).toContain('tactful_ingest_requests_total{status="202"} 1');
    expect(text).toContain('tactful_events_published_total{type="page.viewed"} 3');
  });

  it('names every metric by the Prometheus conventions', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const all = await metrics.registry.getMetricsAsJSON();
    expect(all.length).toBeGreaterThanOrEqual(4);
    for (const metric of all) {
      expect(metric.name).toMatch(/^tactful_[a-z][a-z0-9_]*[a-z0-9]$/);
      // prom-client types `type` as a numeric enum, but the JSON carries the exposition name
      if (String(metric.type) === 'counter') expect(metric.name).toMatch(/_total$/);
      else expect(metric.name).not.toMatch(/_total$/);
      expect(metric.help.length).toBeGreaterThan(10);
    }
  });

  it('adds the default process metrics, and two registries never share counts', async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.ingestRequests.inc({ status: '401' });
    expect(await a.registry.metrics()).toMatch(/^process_cpu_seconds_total /m);
    expect(await b.registry.metrics()).not.toContain('tactful_ingest_requests_total{status="401"}');
  });
});
