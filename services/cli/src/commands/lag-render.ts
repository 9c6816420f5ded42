import type { GroupLag, LagReport, PartitionLag } from '@tactful/kafka';

/** What `tactful lag` shows: the report of one sample, and the groups named with `--group` that are absent. */
export interface LagView {
  namespace: string;
  report: LagReport;
  /** Groups named with `--group` that Kafka does not know: they cannot be vouched for, so not OK. */
  missing: string[];
}

/** Pure. 0 when every group is OK and every group asked for exists, else 1. */
export function lagExitCode(view: LagView): number {
  return view.report.ok && view.missing.length === 0 ? 0 : 1;
}

/** Pure. A duration as people read it: 850ms, 12.4s, 3m05s, 2h03m, 4d02h. */
export function formatDuration(ms: number): string {
  if (ms <= 0) return '0s';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.floor(ms / 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  if (s < 3600) return `${Math.floor(s / 60)}m${two(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${two(Math.floor(s / 60) % 60)}m`;
  return `${Math.floor(s / 86_400)}d${two(Math.floor(s / 3600) % 24)}h`;
}

function lagTime(p: PartitionLag): string {
  if (p.lagTimeMs === null) return '-';
  return `${p.lagTimeAtLeast ? '≥' : ''}${formatDuration(p.lagTimeMs)}`;
}

function oldest(p: PartitionLag): string {
  if (p.nextMessage === null) return '-';
  return `${p.nextMessage.exact ? '' : '≥'}${formatDuration(p.nextMessage.ageMs)}`;
}

const show = (n: number | null): string => (n === null ? '-' : String(n));

const HEADER = [
  'GROUP',
  'TOPIC',
  'PARTITION',
  'COMMITTED',
  'LOG-END',
  'LAG',
  'LAG-TIME',
  'OLDEST',
  'STATUS',
  'MEMBERS',
] as const;

function rowsOf(group: GroupLag): string[][] {
  const tail = [group.status, String(group.members.length)];
  if (group.partitions.length === 0) return [[group.groupId, '-', '-', '-', '-', '-', '-', '-', ...tail]];
  return group.partitions.map((p) => [
    group.groupId,
    p.topic,
    String(p.partition),
    show(p.committed),
    show(p.logEnd),
    show(p.lag),
    lagTime(p),
    oldest(p),
    ...tail,
  ]);
}

/** Pure. Columns padded to their widest cell, two spaces apart; numbers right-aligned. */
export function formatTable(
  rows: readonly (readonly string[])[],
  rightAligned: ReadonlySet<number>,
): string[] {
  const widths = rows.reduce<number[]>(
    (w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, [...cell].length)),
    [],
  );
  return rows.map((row) =>
    row
      .map((cell, i) => {
        const pad = ' '.repeat((widths[i] ?? 0) - [...cell].length);
        return rightAligned.has(i) ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd(),
  );
}

/** Pure. The text block of one sample: a heading, one row per partition, then each group's verdict. */
export function renderLagText(view: LagView): string {
  const { report } = view;
  const first = report.groups[0];
  const window = first
    ? `${first.samples} sample(s) over ${formatDuration(first.windowMs)}`
    : 'no consumer group found';
  const lines = [`namespace ${view.namespace} · ${window} · ${new Date(report.at).toISOString()}`, ''];
  if (report.groups.length > 0) {
    lines.push(...formatTable([[...HEADER], ...report.groups.flatMap(rowsOf)], new Set([2, 3, 4, 5])), '');
    const width = Math.max(...report.groups.map((g) => g.groupId.length));
    for (const g of report.groups)
      lines.push(
        `${g.status.padEnd(7)}  ${g.groupId.padEnd(width)}  ${g.state}, ${g.members.length} member(s), ` +
          `lag ${g.lag}: ${g.reason}`,
      );
  }
  if (report.absent.length > 0) {
    lines.push(`absent   ${report.absent.join(', ')} (no members, no committed offsets)`);
  }
  if (view.missing.length > 0) lines.push(`not OK: --group ${view.missing.join(', ')} does not exist`);
  return lines.join('\n');
}

/** Pure. The JSON document of one sample (`--json`); `at` as an ISO instant, times in milliseconds. */
export function lagJson(view: LagView): object {
  const { report } = view;
  return {
    namespace: view.namespace,
    at: new Date(report.at).toISOString(),
    ok: lagExitCode(view) === 0,
    groups: report.groups,
    absent: report.absent,
    missing: view.missing,
  };
}
