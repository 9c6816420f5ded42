import { formatProblem } from '@tactful/journeys';
import type { StatusReport } from './status-run';
import { strandedOf } from './status-run';

const n = (value: number): string => value.toLocaleString('en-US');

/** Pure. `tactful journeys status` for people. */
export function renderStatus(report: StatusReport, seconds: number): string {
  const lines = [
    `namespace ${report.namespace}: ${n(report.records)} customer record(s) read from Redis in ${seconds.toFixed(1)} s, ` +
      `${n(report.inFlight)} in a journey (counted from the stored records, not the journey counters)`,
    `journey files: ${report.journeysDir}`,
    '',
  ];
  if (report.versions.length === 0) lines.push('nobody is in a journey');
  for (const version of report.versions) {
    const where = version.loaded
      ? version.file
      : `ORPHANED: no file for this version in ${report.journeysDir}`;
    lines.push(`${version.journey} v${version.version}  ${where}  ${n(version.customers)} customer(s)`);
    const width = Math.max(...version.stages.map((s) => s.stage.length));
    for (const stage of version.stages) {
      const what =
        stage.movesTo !== undefined
          ? `→ v${stage.movesTo.version} ${stage.movesTo.stage} at their next event or timer (migrate)`
          : version.loaded
            ? ''
            : 'not stepped: no version takes them from here (put the file back, or name the stage in a migrate)';
      lines.push(`    ${stage.stage.padEnd(width)}  ${n(stage.customers).padStart(8)}  ${what}`.trimEnd());
    }
  }
  if (report.empty.length > 0) lines.push('', `loaded, nobody in them: ${report.empty.join(', ')}`);
  const orphaned = report.versions.filter((v) => !v.loaded);
  if (orphaned.length > 0) {
    const stranded = strandedOf(report);
    lines.push(
      '',
      `${orphaned.length} orphaned version(s): ${orphaned.map((v) => `${v.journey} v${v.version} (${n(v.customers)})`).join(', ')}` +
        (stranded > 0
          ? `; ${n(stranded)} customer(s) will not move until a file takes them`
          : '; a migrate moves them all'),
    );
  }
  for (const problem of report.problems) lines.push(`✗ ${formatProblem(problem)}`);
  for (const warning of report.warnings) lines.push(`! ${formatProblem(warning)}`);
  return `${lines.join('\n')}\n`;
}
