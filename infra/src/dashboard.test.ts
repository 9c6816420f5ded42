import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './paths';
import { knownMetric, metricNames } from './promql-names';

// The Grafana dashboard queries metrics by name; a metric renamed in metrics.ts would leave a panel empty
// without anyone noticing. This checks every name its queries use against the registry the services serve.

interface Panel {
  title?: string;
  type: string;
  targets?: { expr: string }[];
  panels?: Panel[];
}

describe('the Grafana dashboard', () => {
  const dashboard = JSON.parse(
    fs.readFileSync(path.join(repoRoot, 'infra', 'grafana', 'tactful-dashboard.json'), 'utf8'),
  ) as { uid: string; panels: Panel[] };
  const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
  const exprs = panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));

  it('reads the metric names out of PromQL', () => {
    expect(
      metricNames(
        'histogram_quantile(0.99, sum by (le) (rate(tactful_ingest_request_duration_seconds_bucket{status="202"}[$__rate_interval])))',
      ),
    ).toEqual(['tactful_ingest_request_duration_seconds_bucket']);
    expect(metricNames('max by (group, status) (tactful_consumer_group_status) == 1')).toEqual([
      'tactful_consumer_group_status',
    ]);
    expect(metricNames('a / on (job) group_left b')).toEqual(['a', 'b']);
  });

  it('queries only metrics the services register', async () => {
    const known = await knownMetric();
    expect(exprs.length).toBeGreaterThan(10);
    const unknown = exprs.flatMap(({ panel, expr }) =>
      metricNames(expr)
        .filter((name) => !known(name))
        .map((name) => `${panel}: ${name}`),
    );
    expect(unknown).toEqual([]);
  });

  it('shows what operators watch: lag, throughput, decisions, dead letters, timers, ingest, processes', () => {
    const used = new Set(exprs.flatMap(({ expr }) => metricNames(expr)));
    for (const name of [
      'tactful_consumer_lag_messages',
      'tactful_consumer_lag_seconds',
      'tactful_consumer_group_status',
      'tactful_events_processed_total',
      'tactful_decisions_total',
      'tactful_dlq_messages_total',
      'tactful_pending_timers',
      'tactful_timer_firing_delay_seconds_bucket',
      'tactful_ingest_request_duration_seconds_bucket',
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
    ])
      expect(used, name).toContain(name);
  });

  it('has panels that do not overlap, on a 24-column grid', () => {
    const cells = new Set<string>();
    for (const p of panels) {
      const { x, y, w, h } = (p as Panel & { gridPos: { x: number; y: number; w: number; h: number } })
        .gridPos;
      expect(x + w, p.title).toBeLessThanOrEqual(24);
      for (let i = x; i < x + w; i++)
        for (let j = y; j < y + h; j++) {
          expect(cells.has(`${i},${j}`), `${p.title} overlaps at ${i},${j}`).toBe(false);
          cells.add(`${i},${j}`);
        }
    }
  });
});
