import { createMetrics } from '@tactful/observability';

// Reads metric names out of PromQL, so that the dashboard and the alert rules are checked against the
// metrics the services register: a metric renamed in metrics.ts would otherwise leave a panel empty or
// an alert silent without anyone noticing.

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
export function metricNames(expr: string): string[] {
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

/** A check that a name read from PromQL is a registered metric (a histogram's series included). */
export async function knownMetric(): Promise<(name: string) => boolean> {
  const registered = new Map(
    (await createMetrics().registry.getMetricsAsJSON()).map((m) => [m.name, String(m.type)]),
  );
  return (name) => {
    if (registered.has(name)) return true;
    const suffix = HISTOGRAM_SUFFIXES.find((s) => name.endsWith(s));
    return suffix !== undefined && registered.get(name.slice(0, -suffix.length)) === 'histogram';
  };
}
