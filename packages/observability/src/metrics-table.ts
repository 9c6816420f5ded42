import type { Registry } from 'prom-client';

// The README's list of metrics is generated from the registry, so it cannot fall behind metrics.ts: a test
// compares the two, and `npx tsx packages/observability/scripts/metrics-table.ts --write` rewrites it.

export const METRICS_TABLE_START =
  '<!-- metrics-table:start (generated from metrics.ts: npx tsx packages/observability/scripts/metrics-table.ts --write) -->';
export const METRICS_TABLE_END = '<!-- metrics-table:end -->';

interface Described {
  name: string;
  help: string;
  type: string;
  labelNames?: readonly string[];
}

/** Pure. The Markdown table of the `tactful_*` metrics of a registry, in declaration order. */
export function metricsTable(registry: Registry): string {
  // prom-client keeps each metric's label names on the metric object, which its types do not declare
  const metrics = registry.getMetricsAsArray() as unknown as Described[];
  const rows = metrics
    .filter((m) => m.name.startsWith('tactful_'))
    .map((m) => {
      const labels = (m.labelNames ?? []).map((l) => `\`${l}\``).join(', ');
      return `| \`${m.name}\` | ${String(m.type)} | ${labels} | ${m.help.replace(/\|/g, '\\|')} |`;
    });
  return ['| metric | type | labels | what |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** Pure. `text` with the part between the markers replaced by `table`; throws when the markers are missing. */
export function withMetricsTable(text: string, table: string): string {
  const start = text.indexOf(METRICS_TABLE_START);
  const end = text.indexOf(METRICS_TABLE_END);
  if (start < 0 || end < start) throw new Error('the metrics table markers are missing');
  return `${text.slice(0, start + METRICS_TABLE_START.length)}\n\n${table}\n\n${text.slice(end)}`;
}
