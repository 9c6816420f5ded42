import type { JourneyCounts } from '@tactful/engine';
import type { AuditRecord } from '@tactful/events';
import type { LagStatus } from '@tactful/kafka';
import type { Explanation } from './customer-explanation';
import type { JourneyReportRead } from './journey-report-reader';
import type { JourneyView } from './journey-views';
import type { LagSeries } from './lag-history';
import type { Position } from './recent';
import type { DeadLetterEntry } from './tail-records';

// The JSON the console's page reads (`/api/…`): plain data, so the page can be replaced without touching
// how it is gathered, and a script can read the same answers.

export interface PartitionView {
  topic: string;
  partition: number;
  committed: number | null;
  logEnd: number | null;
  lag: number | null;
  /** The age of the next message to read (a lower bound), null when caught up or not dated. */
  waitingMs: number | null;
  /** How long the partition has been behind without moving. */
  stuckMs: number | null;
  status: LagStatus;
  reason: string;
}

export interface GroupView {
  groupId: string;
  state: string;
  members: number;
  lag: number;
  status: LagStatus;
  reason: string;
  partitions: PartitionView[];
}

/**
 * Whether the dispatcher may send: it holds every send while the halt sentinel's group is absent or
 * further behind than `maxLagMs`. The console judges the same way on its own lag sample.
 */
export interface HaltSignalsView {
  current: boolean;
  detail: string;
  maxLagMs: number;
  /** Commands waiting in the dispatcher's group (held ones among them); null when it has no offsets. */
  waitingCommands: number | null;
}

/** `GET /api/lag`. */
export interface LagView {
  /** When the newest sample was taken (ms since the epoch); null before the first one. */
  at: number | null;
  intervalMs: number;
  /** Why the last sample failed; null when it succeeded. */
  error: string | null;
  groups: GroupView[];
  absent: string[];
  history: LagSeries;
  /** Null before the first sample. */
  haltSignals: HaltSignalsView | null;
}

/** `GET /api/info`. */
export interface InfoView {
  namespace: string;
  sampleIntervalMs: number;
  historyPoints: number;
  /** The console needs a login (`TACTFUL_CONSOLE_TOKEN` set): the page offers to log out. */
  login: boolean;
}

/** What the console serves; each function reads the current state of one view. */
export interface ConsoleViews {
  info(): InfoView;
  lag(): LagView;
  journeys(): Promise<JourneyCounts[]>;
  decisions(): (AuditRecord & { position: Position })[];
  deadLetters(): (DeadLetterEntry & { position: Position })[];
  customer(customerId: string): Promise<Explanation>;
  report(journey: string): Promise<ReportView>;
  /** Every journey as its diagram with live numbers (`GET /api/journey-views`). */
  journeyViews(): Promise<JourneyView[]>;
}

/** `GET /api/report?journey=…`: the journey's report, counted from `N.audit` and `N.events`. */
export interface ReportView extends JourneyReportRead {
  /** When the read began (ms since the epoch); a report is read again once it is older than a while. */
  at: number;
}
