import type { Interval, JourneyReport, ReportRow } from '@tactful/engine';
import { waitText, type Journey } from '@tactful/journeys';

export interface ReportRenderOptions {
  readonly namespace: string;
  readonly read: { readonly audit: number; readonly events: number; readonly invalid: number };
  readonly seconds: number;
  /** The journey's file in TACTFUL_JOURNEYS, when it is there: its goal and holdout are printed. */
  readonly journey?: Journey;
}

const count = (n: number) => n.toLocaleString('en-US');
const percent = (p: number) => `${(p * 100).toFixed(1)}%`;
const points = (d: number) => `${d >= 0 ? '+' : '−'}${Math.abs(d * 100).toFixed(1)}`;

/** Pure. `15.0% (13.4–16.7)`: a rate and its interval, in percent. */
export function rateText(interval: Interval | null): string {
  if (interval === null) return '-';
  return `${percent(interval.estimate)} (${(interval.low * 100).toFixed(1)}–${(interval.high * 100).toFixed(1)})`;
}

/** Pure. `+5.0 pts (+1.2 to +8.7)`: a difference of rates and its interval, in percentage points. */
export function upliftText(interval: Interval | null): string {
  if (interval === null) return '';
  return `${points(interval.estimate)} pts (${points(interval.low)} to ${points(interval.high)})`;
}

const COLUMNS = [
  'group',
  'entered',
  'sent',
  'opened',
  'clicked',
  'replied',
  'converted',
  'rate (95% CI)',
  'uplift (95% CI)',
];

function cells(row: ReportRow): string[] {
  return [
    row.group,
    count(row.entered),
    count(row.sent),
    count(row.opened),
    count(row.clicked),
    count(row.replied),
    count(row.converted),
    rateText(row.conversion),
    upliftText(row.uplift),
  ];
}

function table(rows: readonly string[][]): string[] {
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) =>
    r
      .map((cell, i) => (i === 0 || i >= 7 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

function templates(perTemplate: Readonly<Record<string, number>>): string {
  const entries = Object.entries(perTemplate);
  return entries.length === 0 ? 'none' : entries.map(([t, n]) => `${t} ${count(n)}`).join(' · ');
}

/** Pure. The report as people read it: one row per group, then what was sent and withheld, per version. */
export function renderReport(report: JourneyReport, options: ReportRenderOptions): string {
  const lines = [
    `${report.journey}: from ${count(options.read.audit)} audit records and ${count(options.read.events)} events of ${options.namespace} (${options.seconds.toFixed(1)} s)`,
  ];
  const { journey } = options;
  if (journey !== undefined) {
    const goal =
      journey.goal === undefined
        ? 'no goal (conversions: purchases of its products)'
        : `goal ${journey.goal.event}${whereText(journey.goal.where)} within ${waitText(journey.goal.within)}`;
    lines.push(`${goal} · ${journey.holdout === undefined ? 'no holdout' : `holdout ${journey.holdout}%`}`);
  }
  lines.push('');
  const all = report.rows.find((r) => r.group === 'all');
  if (all === undefined || all.entered === 0) {
    lines.push('nobody entered the journey in the history read', '');
    return `${lines.join('\n')}\n`;
  }
  lines.push(...table([COLUMNS, ...report.rows.map(cells)]), '');
  const width = Math.max(...report.rows.map((r) => r.group.length));
  lines.push('delivered per template:');
  for (const row of report.rows)
    lines.push(`  ${row.group.padEnd(width)}  ${templates(row.sentPerTemplate)}`);
  const holdout = report.rows.find((r) => r.group === 'holdout');
  if (holdout !== undefined)
    lines.push(`withheld from the holdout: ${templates(holdout.withheldPerTemplate)}`);
  lines.push(
    `versions: ${report.versions.map((v) => `v${v.version} ${count(v.entered)} entered, ${count(v.converted)} converted`).join(' · ')}`,
  );
  if (report.attributedByLastSend > 0)
    lines.push(
      `${count(report.attributedByLastSend)} opens, clicks or replies named no email: counted for the last send before them`,
    );
  if (options.read.invalid > 0)
    lines.push(`${count(options.read.invalid)} messages were not readable and were skipped`);
  lines.push(`rate and uplift: ${report.method}`, '');
  return `${lines.join('\n')}\n`;
}

function whereText(where: Readonly<Record<string, unknown>> | undefined): string {
  const pairs = Object.entries(where ?? {}).map(([path, value]) => `${path} = ${String(value)}`);
  return pairs.length === 0 ? '' : ` (${pairs.join(', ')})`;
}
