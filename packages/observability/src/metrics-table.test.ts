import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics';
import { METRICS_TABLE_END, METRICS_TABLE_START, metricsTable, withMetricsTable } from './metrics-table';

describe('the metrics table', () => {
  const table = metricsTable(createMetrics({ defaultMetrics: false }).registry);

  it('lists every Tactful metric with its type and labels', () => {
    expect(table).toContain(
      '| `tactful_consumer_lag_messages` | gauge | `group`, `topic`, `partition` | Log-end offset minus committed offset',
    );
    expect(table).toContain('| `tactful_events_processed_total` | counter | `type`, `outcome` |');
    expect(table).not.toContain('process_cpu');
  });

  it('is the one in README.md (regenerate it with scripts/metrics-table.ts --write)', () => {
    const readme = fs.readFileSync(path.resolve(import.meta.dirname, '..', '..', '..', 'README.md'), 'utf8');
    expect(withMetricsTable(readme, table)).toBe(readme);
  });

  it('replaces only what is between the markers', () => {
    const text = `before\n${METRICS_TABLE_START}\nold\n${METRICS_TABLE_END}\nafter\n`;
    expect(withMetricsTable(text, 'new')).toBe(
      `before\n${METRICS_TABLE_START}\n\nnew\n\n${METRICS_TABLE_END}\nafter\n`,
    );
    expect(() => withMetricsTable('no markers', 'new')).toThrow(/markers/);
  });
});
