import type { AuditRecord, TactfulEvent } from '@tactful/events';
import { compare } from './catalog';
import type { Interval } from './proportion-interval';
import { differenceInterval, wilsonInterval } from './proportion-interval';

// A journey's results counted from its history alone: the audit trail (`N.audit`) says who entered,
// on which side (holdout, branch), what was decided and who converted; the events (`N.events`) say what
// was delivered (`email.sent`) and what people did with it (opened, clicked, replied). Nothing else is
// read, so the report can be rebuilt from the topics at any time and gives the same numbers.

/** One group of entries: everyone, those sent to, the holdout, or one branch. */
export interface ReportRow {
  readonly group: string;
  /** Entries (an entry is one person's stay in the journey; with `reentry: never`, one per person). */
  readonly entered: number;
  /** Emails delivered (`email.sent`), in all and per template. */
  readonly sent: number;
  readonly sentPerTemplate: Readonly<Record<string, number>>;
  /** Sends the holdout did not get, per template (decisions `suppressed` with the code `holdout`). */
  readonly withheldPerTemplate: Readonly<Record<string, number>>;
  /** Entries with at least one open, click, reply of an email of the journey. */
  readonly opened: number;
  readonly clicked: number;
  readonly replied: number;
  /** Entries that reached the goal (or bought one of the journey's products), once each. */
  readonly converted: number;
  /** `converted / entered`, with Wilson's 95 % interval; null with no entry. */
  readonly conversion: Interval | null;
  /** The conversion rate minus the holdout's, with Newcombe's 95 % interval; null without a holdout. */
  readonly uplift: Interval | null;
}

export interface VersionRow {
  readonly version: number;
  readonly entered: number;
  readonly converted: number;
}

export interface JourneyReport {
  readonly journey: string;
  readonly versions: readonly VersionRow[];
  /** `all`; with a holdout, `sent to` and `holdout`; with splits, one row per branch of those sent to. */
  readonly rows: readonly ReportRow[];
  /** Opens, clicks and replies that named no command and no template, attributed to the last send. */
  readonly attributedByLastSend: number;
  readonly method: string;
}

export const REPORT_METHOD =
  "conversion: Wilson score interval, 95 %; uplift over the holdout: Newcombe's hybrid score interval (method 10), 95 %";

/** The row names that are not branches. */
export const ALL = 'all';
export const SENT_TO = 'sent to';
export const HOLDOUT = 'holdout';
/** The branch of entries that no split has decided yet (or that the journey never splits). */
export const NO_BRANCH = '(no split yet)';

interface Entry {
  version: number;
  holdout: boolean;
  branch: string;
  entered: boolean;
  converted: boolean;
  opened: boolean;
  clicked: boolean;
  replied: boolean;
  sent: Map<string, number>;
  withheld: Map<string, number>;
}

/** Collects a journey's history: every audit record first, then the events. */
export interface JourneyReportBuilder {
  /** Any record of `N.audit` (other journeys' sends are kept to attribute engagement by last send). */
  addAudit(record: AuditRecord): void;
  /** Any event of `N.events`, after every audit record; a repeated event id counts once. */
  addEvent(event: TactfulEvent): void;
  result(): JourneyReport;
}

const ENGAGEMENTS = {
  'email.opened': 'opened',
  'email.clicked': 'clicked',
  'email.replied': 'replied',
} as const;

/** What a report has collected so far. */
interface Collected {
  readonly journey: string;
  readonly entries: Map<string, Entry>;
  /** Command id → its entry and template, from the `sent` decisions of the journey. */
  readonly commands: Map<string, { entry: string; template: string }>;
  /** Customer and template → the entry that sent it (a template reaches a person once). */
  readonly byTemplate: Map<string, string>;
  /** Every send of every journey, per customer, to find the last one before an unnamed engagement. */
  readonly sendsOf: Map<string, { at: number; entry: string | undefined }[]>;
  readonly delivered: Set<string>;
  readonly seen: Set<string>;
  attributedByLastSend: number;
}

/** Pure. A report being collected for `journey`. */
export function createJourneyReport(journey: string): JourneyReportBuilder {
  const collected: Collected = {
    journey,
    entries: new Map(),
    commands: new Map(),
    byTemplate: new Map(),
    sendsOf: new Map(),
    delivered: new Set(),
    seen: new Set(),
    attributedByLastSend: 0,
  };
  return {
    addAudit: (record) => addAudit(collected, record),
    addEvent: (event) => addEvent(collected, event),
    result: () =>
      reportOf(
        journey,
        [...collected.entries.values()].filter((e) => e.entered),
        collected.attributedByLastSend,
      ),
  };
}

function entryOf(c: Collected, key: string, version: number): Entry {
  let entry = c.entries.get(key);
  if (entry === undefined) {
    entry = {
      version,
      holdout: false,
      branch: '',
      entered: false,
      converted: false,
      opened: false,
      clicked: false,
      replied: false,
      sent: new Map(),
      withheld: new Map(),
    };
    c.entries.set(key, entry);
  }
  return entry;
}

function addAudit(c: Collected, record: AuditRecord): void {
  const key = `${record.customerId}\u0000${record.entry ?? 0}`;
  if (record.journey !== c.journey) {
    if (record.decision === 'sent') remember(c, record, undefined);
    return;
  }
  const entry = entryOf(c, key, record.journeyVersion ?? 0);
  if (record.holdout === true) entry.holdout = true;
  // the branch only grows along an entry: the longest one seen is where the entry went
  if (record.branch !== undefined && record.branch.length > entry.branch.length) entry.branch = record.branch;
  if (record.decision === 'entered') {
    entry.entered = true;
    if (record.journeyVersion !== undefined) entry.version = record.journeyVersion;
  }
  if (record.decision === 'completed' && (record.code === 'goal_reached' || record.code === 'purchased'))
    entry.converted = true;
  if (record.decision === 'suppressed' && record.code === 'holdout' && record.template !== undefined)
    bump(entry.withheld, record.template);
  if (record.decision === 'sent') remember(c, record, key);
}

function remember(c: Collected, record: AuditRecord, key: string | undefined): void {
  if (key !== undefined && record.commandId !== undefined && record.template !== undefined) {
    c.commands.set(record.commandId, { entry: key, template: record.template });
    c.byTemplate.set(`${record.customerId}\u0000${record.template}`, key);
  }
  const list = c.sendsOf.get(record.customerId) ?? [];
  list.push({ at: Date.parse(record.at), entry: key });
  c.sendsOf.set(record.customerId, list);
}

function addEvent(c: Collected, event: TactfulEvent): void {
  if (event.type === 'email.sent') {
    const command = c.commands.get(event.data.commandId);
    if (command === undefined || c.delivered.has(event.data.commandId)) return;
    c.delivered.add(event.data.commandId);
    const entry = c.entries.get(command.entry);
    if (entry !== undefined) bump(entry.sent, command.template);
    return;
  }
  if (!(event.type in ENGAGEMENTS) || c.seen.has(event.id)) return;
  c.seen.add(event.id);
  const data = event.data as { commandId?: string; template?: string };
  const key = engagedEntry(c, event.subject, Date.parse(event.time), data);
  const entry = key === undefined ? undefined : c.entries.get(key);
  if (entry !== undefined) entry[ENGAGEMENTS[event.type as keyof typeof ENGAGEMENTS]] = true;
}

/** The entry an open, click or reply is about: by its command, else its template, else the last send. */
function engagedEntry(
  c: Collected,
  customerId: string,
  at: number,
  data: { commandId?: string; template?: string },
): string | undefined {
  if (data.commandId !== undefined) return c.commands.get(data.commandId)?.entry;
  if (data.template !== undefined) return c.byTemplate.get(`${customerId}\u0000${data.template}`);
  let last: { at: number; entry: string | undefined } | undefined;
  for (const send of c.sendsOf.get(customerId) ?? [])
    if (send.at <= at && (last === undefined || send.at >= last.at)) last = send;
  if (last?.entry !== undefined) c.attributedByLastSend += 1;
  return last?.entry;
}

function bump(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

function reportOf(journey: string, entries: readonly Entry[], attributedByLastSend: number): JourneyReport {
  const held = entries.filter((e) => e.holdout);
  const treated = entries.filter((e) => !e.holdout);
  const holdoutRow = rowOf(HOLDOUT, held, undefined);
  const control = held.length > 0 ? held : undefined;
  const rows: ReportRow[] = [rowOf(ALL, entries, undefined)];
  if (control !== undefined) rows.push(rowOf(SENT_TO, treated, control), holdoutRow);
  const branches = [...new Set(treated.map((e) => e.branch))].sort(compare);
  if (branches.some((b) => b !== '')) {
    for (const branch of branches)
      rows.push(
        rowOf(
          branch === '' ? NO_BRANCH : branch,
          treated.filter((e) => e.branch === branch),
          control,
        ),
      );
  }
  const versions = new Map<number, { entered: number; converted: number }>();
  for (const e of entries) {
    const v = versions.get(e.version) ?? { entered: 0, converted: 0 };
    v.entered += 1;
    if (e.converted) v.converted += 1;
    versions.set(e.version, v);
  }
  return {
    journey,
    versions: [...versions].sort(([a], [b]) => a - b).map(([version, v]) => ({ version, ...v })),
    rows,
    attributedByLastSend,
    method: REPORT_METHOD,
  };
}

function rowOf(group: string, entries: readonly Entry[], control: readonly Entry[] | undefined): ReportRow {
  const count = (pick: (e: Entry) => boolean) => entries.filter(pick).length;
  const sum = (pick: (e: Entry) => Map<string, number>) => {
    const totals = new Map<string, number>();
    for (const e of entries)
      for (const [template, n] of pick(e)) totals.set(template, (totals.get(template) ?? 0) + n);
    return Object.fromEntries([...totals].sort(([a], [b]) => compare(a, b)));
  };
  const sentPerTemplate = sum((e) => e.sent);
  const converted = count((e) => e.converted);
  const controlConverted = control?.filter((e) => e.converted).length ?? 0;
  return {
    group,
    entered: entries.length,
    sent: Object.values(sentPerTemplate).reduce((a, b) => a + b, 0),
    sentPerTemplate,
    withheldPerTemplate: sum((e) => e.withheld),
    opened: count((e) => e.opened),
    clicked: count((e) => e.clicked),
    replied: count((e) => e.replied),
    converted,
    conversion: wilsonInterval(converted, entries.length),
    uplift:
      control === undefined
        ? null
        : differenceInterval(converted, entries.length, controlConverted, control.length),
  };
}
