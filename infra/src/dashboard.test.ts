import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '@tactful/observability';
import { repoRoot } from './paths';

// The Grafana dashboard queries metrics by name; a metric renamed in metrics.ts would leave a panel empty
// without anyone noticing. This checks every name its queries use against the registry the services serve.

interface Panel {
  title?: string;
  type: string;
  targets?: { expr: string }[];
  panels?: Panel[];
}

const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset',
]);
const HISTOGRAM_SUFFIXES = ['_bucket', '_sum', '_count'];

/** The metric names a PromQL expression reads (functions, keywords, labels and Grafana variables left out). */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""') // label values and other strings
    .replace(/\{[^}]*\}/g, '') // label matchers
    .replace(/\[[^\]]*\]/g, '') // range selectors, with $__rate_interval
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ''); // label lists
  const names = [...bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*(?=\s*(\(?))/g)]
    .filter((m) => m[1] !== '(') // a function call
    .map((m) => m[0])
    .filter((name) => !KEYWORDS.has(name));
  return [...new Set(names)];
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
    const registered = new Map(
      (await createMetrics().registry.getMetricsAsJSON()).map((m) => [m.name, String(m.type)]),
    );
    const known = (name: string): boolean => {
      if (registered.has(name)) return true;
      const suffix = HISTOGRAM_SUFFIXES.find((s) => name.endsWith(s));
      return suffix !== undefined && registered.get(name.slice(0, -suffix.length)) === 'histogram';
    };
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
