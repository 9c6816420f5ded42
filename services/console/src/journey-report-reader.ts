import { randomBytes } from 'node:crypto';
import { createJourneyReport, type JourneyReport } from '@tactful/engine';
import { parseEvent, topicsFor } from '@tactful/events';
import { readHistory, type Kafka } from '@tactful/kafka';
import { decisionRecord } from './tail-records';

// The report's source of truth is the history itself, read whole from both topics: nothing kept in
// Redis or in memory can make it disagree with what happened, and deleting any counter changes nothing.

/** The engagement and delivery events the report reads; every other event is skipped unparsed. */
const REPORT_EVENT_TYPES = ['"email.sent"', '"email.opened"', '"email.clicked"', '"email.replied"'];

export interface ReadJourneyReportOptions {
  readonly kafka: Kafka;
  readonly namespace: string;
  readonly journey: string;
  /** Messages read so far, of how many, per topic. */
  readonly onProgress?: (topic: string, read: number, total: number) => void;
}

export interface JourneyReportRead {
  readonly report: JourneyReport;
  /** Messages read from `N.audit` and `N.events`, and those that were not audit records or events. */
  readonly read: { readonly audit: number; readonly events: number; readonly invalid: number };
}

/**
 * Reads all of `N.audit`, then all of `N.events`, each from its oldest retained message to the end it
 * had when its read began, in a consumer group of its own (`N.report.<random>`) that commits nothing and
 * is deleted at the end, and counts the journey's report from them (`createJourneyReport`).
 */
export async function readJourneyReport(options: ReadJourneyReportOptions): Promise<JourneyReportRead> {
  const topics = topicsFor(options.namespace);
  const builder = createJourneyReport(options.journey);
  const group = () => `${options.namespace}.report.${randomBytes(6).toString('hex')}`;
  let invalid = 0;
  let audit = 0;
  let events = 0;
  await readHistory({
    kafka: options.kafka,
    topic: topics.audit,
    groupId: group(),
    onBatch: (messages) => {
      for (const message of messages) {
        audit += 1;
        const parsed = decisionRecord(message);
        if (parsed.ok) builder.addAudit(parsed.record);
        else invalid += 1;
      }
    },
    ...(options.onProgress === undefined
      ? {}
      : { onProgress: (read, total) => options.onProgress?.(topics.audit, read, total) }),
  });
  await readHistory({
    kafka: options.kafka,
    topic: topics.events,
    groupId: group(),
    onBatch: (messages) => {
      for (const message of messages) {
        events += 1;
        const text = message.value?.toString('utf8') ?? '';
        // most of the history is other events: a look at the bytes before parsing any
        if (!REPORT_EVENT_TYPES.some((type) => text.includes(type))) continue;
        const parsed = parseEvent(message.value, message.key, { allowInternal: true });
        if (parsed.ok) builder.addEvent(parsed.event);
        else invalid += 1;
      }
    },
    ...(options.onProgress === undefined
      ? {}
      : { onProgress: (read, total) => options.onProgress?.(topics.events, read, total) }),
  });
  return { report: builder.result(), read: { audit, events, invalid } };
}
