import type { JourneyCounts } from '@tactful/engine';
import type { AuditRecord } from '@tactful/events';
import type { LagStatus } from '@tactful/kafka';
import type { Explanation } from './customer-explanation';
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
}

/** `GET /api/info`. */
export interface InfoView {
  namespace: string;
  sampleIntervalMs: number;
  historyPoints: number;
}

/** What the console serves; each function reads the current state of one view. */
export interface ConsoleViews {
  info(): InfoView;
  lag(): LagView;
  journeys(): Promise<JourneyCounts[]>;
  decisions(): (AuditRecord & { position: Position })[];
  deadLetters(): (DeadLetterEntry & { position: Position })[];
  customer(customerId: string): Promise<Explanation>;
}
