import type { Kafka } from '@tactful/kafka';
import type { ReportView } from './console-views';
import { readJourneyReport } from './journey-report-reader';

export interface ReportCacheDeps {
  readonly kafka: Kafka;
  readonly namespace: string;
  /** A report younger than this is served again instead of reading both topics once more. */
  readonly maxAgeMs: number;
  readonly now: () => number;
}

/**
 * The console's journey reports: each one a read of all of `N.audit` and `N.events`, which takes seconds
 * on a long history, so a page refreshing every few seconds gets the last one until it is `maxAgeMs`
 * old, and readers who ask while one is being read wait for that one. A failed read is not kept.
 */
export function createReportCache(deps: ReportCacheDeps): { get(journey: string): Promise<ReportView> } {
  const reports = new Map<string, Promise<ReportView>>();
  const ages = new Map<string, number>();
  return {
    get(journey) {
      const known = reports.get(journey);
      const at = ages.get(journey);
      if (known !== undefined && at !== undefined && deps.now() - at < deps.maxAgeMs) return known;
      const started = deps.now();
      const reading = readJourneyReport({ kafka: deps.kafka, namespace: deps.namespace, journey }).then(
        (read) => ({ ...read, at: started }),
      );
      reports.set(journey, reading);
      ages.set(journey, started);
      // the caller gets the error from `reading`; here it only keeps a failed read from being served again
      void reading.then(undefined, () => {
        if (reports.get(journey) === reading) {
          reports.delete(journey);
          ages.delete(journey);
        }
      });
      return reading;
    },
  };
}
