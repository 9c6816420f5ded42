import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics';

/** The units a gauge or histogram may end in: base units, or the plural of the things it counts. */
const UNIT_SUFFIX = /_(seconds|bytes|ratio|messages|timers|commands|info)$/;
/** 0/1 gauges: one series per state, set to 1 for the current one. */
const STATE_GAUGES = ['tactful_readiness_check', 'tactful_consumer_group_status'];

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
      // abbreviated or non-base units (ms, milliseconds, kb) make dashboards convert; Prometheus uses base units
      expect(metric.name).not.toMatch(/_(ms|milliseconds|millis|kb|mb|minutes|hours|percent)(_|$)/);
      // prom-client types `type` as a numeric enum, but the JSON carries the exposition name
      const type = String(metric.type);
      if (type === 'counter') expect(metric.name).toMatch(/_total$/);
      else expect(metric.name).not.toMatch(/_total$/);
      // a gauge or histogram ends in its unit (a base unit, or the plural of what it counts), unless it
      // is a 0/1 state gauge (like `up`), which Prometheus names without one
      if (type !== 'counter' && !STATE_GAUGES.includes(metric.name))
        expect(metric.name, `${metric.name} has no unit`).toMatch(UNIT_SUFFIX);
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
