export * from './console';
export type * from './console-views';
export { explainCustomer } from './customer-explanation';
export type { AuditReader, ExplainStore, Explanation } from './customer-explanation';
export { auditReader } from './audit-reader';
export type { DeadLetterEntry } from './tail-records';
export { readJourneyReport } from './journey-report-reader';
export type { JourneyReportRead, ReadJourneyReportOptions } from './journey-report-reader';
