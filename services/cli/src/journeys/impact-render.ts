import type { TallyCount } from '@tactful/engine';
import { waitText } from '@tactful/journeys';
import type { ImpactResult } from './impact-run';

export interface ImpactRenderOptions {
  readonly namespace: string;
  /** The `--since` as given, for the header. */
  readonly since?: string;
  readonly seconds: number;
}

const n = (value: number) => value.toLocaleString('en-US');
const persons = (value: number) => `${n(value)} ${value === 1 ? 'person' : 'people'}`;

/** Pure. The dry run as a marketer reads it: who would enter, what would be sent, what held back and why. */
export function renderImpact(result: ImpactResult, options: ImpactRenderOptions): string {
  const { journey } = result.context.candidate;
  const { summary } = result;
  const t = summary.tally;
  const period = options.since === undefined ? 'all retained history' : `the last ${waitText(options.since)}`;
  const lines = [
    `${journey.id} v${journey.version}: a dry run over ${period} of ${options.namespace}.events, up to ${new Date(result.until).toISOString()}`,
    `${n(result.read)} events read (${n(summary.events)} replayed, ${n(summary.skipped)} timer.fired and email.sent left to the replay, ${n(result.invalid)} invalid) for ${persons(summary.people)} in ${options.seconds.toFixed(1)} s`,
    `beside it: ${result.context.others.length === 0 ? 'no other journey' : result.context.others.join(', ')}`,
    '',
    `would enter          ${n(t.entered.people).padStart(8)} ${t.entered.people === 1 ? 'person' : 'people'} (${n(t.entered.decisions)} entries)`,
  ];
  const section = (title: string, part: Readonly<Record<string, TallyCount>>, key: string, unit: string) => {
    const entries = Object.entries(part);
    if (entries.length === 0) return;
    const decisions = entries.reduce((sum, [, c]) => sum + c.decisions, 0);
    lines.push(`${title.padEnd(20)} ${n(decisions).padStart(8)} ${unit}`);
    for (const [code, count] of entries) {
      const reason = t.reasons[`${key}:${code}`];
      const example = key === 'sent' || reason === undefined ? '' : `  e.g. "${reason}"`;
      lines.push(
        `  ${code.padEnd(22)} ${n(count.decisions).padStart(6)} (${persons(count.people)})${example}`,
      );
    }
  };
  section('not entered', t.notEntered, 'notEntered', 'entries refused');
  section('would send', t.sent, 'sent', 'messages');
  section('deferred', t.deferred, 'deferred', 'sends held back');
  section('suppressed', t.suppressed, 'suppressed', 'sends dropped');
  section('halted', t.halted, 'halted', 'halts');
  section('completed', t.completed, 'completed', 'completions');
  section('rejected', t.rejected, 'rejected', 'rejections');
  lines.push(
    `still in the journey  ${n(summary.inJourney).padStart(7)} ${summary.inJourney === 1 ? 'person' : 'people'} when the replay ended`,
  );
  return `${lines.join('\n')}\n`;
}
