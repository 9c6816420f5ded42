import type { SimulatedStep, TimelineRun } from '@tactful/engine';
import { summarise } from '@tactful/engine';
import type { AuditRecord, TactfulEvent } from '@tactful/events';
import { waitText } from '@tactful/journeys';
import { DECISION_MARK } from '../decision-mark';

export interface RenderOptions {
  /** `id vN` of the journey tried. */
  readonly journey: string;
  /** The other journeys of the catalog. */
  readonly others: readonly string[];
  /** The time zone the times are written in (the person's, else the policy's default). */
  readonly timeZone: string;
  /** With a deploy during the run: what was deployed beside what (`whitepaper-nurture v3 beside v2`). */
  readonly deployed?: string;
}

const INDENT = ' '.repeat(34);

/** Pure. A timeline run as people read it: each event at its virtual time, and the decisions it caused. */
export function renderTimelineRun(run: TimelineRun, options: RenderOptions): string {
  const clock = (at: number) => `${wallClock(at, options.timeZone)}  ${offset(at - run.start).padEnd(12)}`;
  const lines = [
    `${options.journey} for ${run.customerId}, on a virtual clock from ${wallClock(run.start, options.timeZone)} (${options.timeZone})`,
    `beside it: ${options.others.length === 0 ? 'no other journey (--with-journeys adds them)' : options.others.join(', ')}`,
    '',
  ];
  let deployNote =
    run.deployedAt === undefined || options.deployed === undefined
      ? undefined
      : { at: run.deployedAt, line: `⇪ ${options.deployed} deployed` };
  for (const step of run.steps) {
    if (deployNote !== undefined && step.at >= deployNote.at && step.cause !== 'delivery') {
      lines.push(`${clock(deployNote.at)}${deployNote.line}`);
      deployNote = undefined;
    }
    if (step.cause === 'delivery' && step.decisions.length === 0) continue;
    // with two versions in play, a wait says whose it is
    lines.push(`${clock(step.at)}${eventLine(step, options.deployed !== undefined)}`);
    for (const record of step.decisions) lines.push(`${INDENT}${decisionLine(record)}`);
  }
  if (deployNote !== undefined) lines.push(`${clock(deployNote.at)}${deployNote.line}`);
  lines.push(`${clock(run.end)}the clock stops`, '');
  lines.push(...summaryLines(run));
  return `${lines.join('\n')}\n`;
}

function eventLine(step: SimulatedStep, withVersion: boolean): string {
  const timer = step.timer;
  if (timer !== undefined) {
    const where = `${timer.journey}${withVersion ? ` v${timer.journeyVersion}` : ''}/${timer.payload.stage}`;
    return timer.payload.kind === 'after'
      ? `⏱ ${where}: the wait of ${waitText(timer.payload.delay)} ends`
      : `⏱ ${where}: the deferred ${timer.payload.template} comes due`;
  }
  if (step.cause === 'delivery') return `email.sent (reported by the dispatcher)`;
  return `${step.event.type}${dataText(step.event)}`;
}

function dataText(event: TactfulEvent): string {
  const data = event.data as Record<string, unknown>;
  const pairs = Object.entries(data)
    .filter(([, value]) => typeof value !== 'object' || value === null)
    .map(([key, value]) => `${key} = ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return pairs.length === 0 ? '' : ` (${pairs.join(', ')})`;
}

/** Pure. One decision in one line: mark, decision, journey/stage and template, reason. */
export function decisionLine(record: AuditRecord): string {
  const where = [record.journey, record.stage].filter(Boolean).join('/');
  const what = `${where}${record.template === undefined ? '' : ` ${record.template}`}`;
  return `${DECISION_MARK[record.decision]} ${record.decision.padEnd(10)} ${what.padEnd(44)} ${record.reason}${sideText(record)}`;
}

/** Pure. Which side of a journey's experiment a decision is about: ` [branch offerA]`, ` [holdout]`. */
export function sideText(record: AuditRecord): string {
  const sides = [
    ...(record.holdout === true ? ['holdout'] : []),
    ...(record.branch === undefined ? [] : [`branch ${record.branch}`]),
  ];
  return sides.length === 0 ? '' : ` [${sides.join(', ')}]`;
}

function summaryLines(run: TimelineRun): string[] {
  const summary = summarise(run.state);
  const sent = run.decisions.filter((d) => d.decision === 'sent').map((d) => d.template ?? '?');
  const lines = [`sent: ${sent.length === 0 ? 'nothing' : sent.join(', ')}`];
  for (const a of summary.active) lines.push(`still in ${a.journey} v${a.version} at ${a.stages.join(', ')}`);
  for (const h of summary.history) lines.push(`left ${h.journey} v${h.version}: ${h.outcome}`);
  for (const timer of run.pending) {
    const what =
      timer.payload.kind === 'after'
        ? `the wait of ${waitText(timer.payload.delay)} in ${timer.journey}/${timer.payload.stage}`
        : `the deferred ${timer.payload.template} of ${timer.journey}`;
    lines.push(`pending: ${what}, due ${new Date(timer.dueAt).toISOString()}`);
  }
  return lines;
}

/** Pure. `Mon 2026-11-23 10:00` on the wall clock of `timeZone`. */
export function wallClock(at: number, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(at))
      .map((part) => [part.type, part.value]),
  );
  return `${parts.weekday} ${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** Pure. Time since the start of the clock, short: `+0s`, `+1d 2h`, `+14d`. */
export function offset(ms: number): string {
  const units = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
  ] as const;
  const parts: string[] = [];
  let rest = Math.max(0, Math.floor(ms));
  for (const [unit, size] of units) {
    const count = Math.floor(rest / size);
    if (count > 0) parts.push(`${count}${unit}`);
    rest -= count * size;
  }
  if (rest > 0) parts.push(`${rest}ms`);
  return `+${parts.length === 0 ? '0s' : parts.join(' ')}`;
}
