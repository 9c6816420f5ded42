export { buildCatalog, byIdOf, journeyVersion } from './catalog';
export type {
  CatalogEntry,
  CatalogInput,
  CatalogOptions,
  JourneyCatalog,
  Migration,
  WaitInfo,
} from './catalog';
export {
  ActiveJourney,
  CustomerState,
  DeferredSend,
  GoalWatch,
  JourneyHistory,
  OUTCOMES,
  Outcome,
  Profile,
  Purchase,
  TriggerRecord,
  emptyCustomerState,
} from './customer-state';
export { compactState, stateOfStored, type StoredCustomer } from './stored-state';
export { customerView } from './customer-view';
export type { CustomerView, DeliveryContext, HaltsStillLive, StoredCustomerView } from './customer-view';
export { lastMileCheck } from './last-mile';
export type { LastMileInput, Suppression } from './last-mile';
export { ALERTS, Effect, Timer, TimerPayload, effectsOfType } from './effect';
export type { EffectType } from './effect';
export { HaltFence, HaltFences, coveringFence, decisionTime } from './halt-fence';
export type { CoveringFence } from './halt-fence';
export { haltScope } from './halt-scope';
export type { HaltScope } from './halt-scope';
export { exitFor } from './halts';
export type { Exit } from './exit-journey';
export { markTopics } from './halt-scope';
export { topicsLeftOf } from './topics-left';
export { step } from './step';
export type { StepResult } from './step';
export type { StepContext } from './step-run';
export { summarise } from './summarise';
export type { CustomerSummary } from './summarise';
export { TIMER_SOURCE, timerFiredData, timerFiredEvent } from './timer-fired';
export { timerIdFor } from './timer-id';
export type { TimerIdInput } from './timer-id';
export { readTally, tallyField, tallyStep } from './journey-tally';
export type { JourneyCounts, TallyKind } from './journey-tally';
export { createSimulator, deliveryEventId, deliveryOf } from './simulator';
export type { SimulatedCause, SimulatedStep, Simulator, SimulatorOptions } from './simulator';
export {
  Timeline,
  TimelineEvent,
  TimelineOffset,
  TimelineProfile,
  offsetMs,
  parseTimelineText,
  stateWithProfile,
  timelineEvents,
} from './timeline';
export { DEFAULT_TIMELINE_CUSTOMER, OPEN_TIMELINE_LIMIT_MS, simulateTimeline } from './simulate-timeline';
export type { TimelineDeploy, TimelineRun } from './simulate-timeline';
export { createDecisionCounter, tallyDecisions } from './decision-tally';
export type { DecisionCounter, DecisionTally, TallyCount } from './decision-tally';
export { createImpactReplay } from './impact-replay';
export type { ImpactReplay, ImpactSummary } from './impact-replay';
export { timelineJsonSchema } from './json-schema';
export { ALL, HOLDOUT, NO_BRANCH, REPORT_METHOD, SENT_TO, createJourneyReport } from './journey-report';
export type { JourneyReport, JourneyReportBuilder, ReportRow, VersionRow } from './journey-report';
export { Z_95, differenceInterval, wilsonInterval } from './proportion-interval';
export type { Interval } from './proportion-interval';
export { MAX_BRANCH_STEPS, branchText } from './experiment';
export { MIGRATED, migrationTarget, takerOf } from './migration';
export type { MigrationTarget } from './migration';
export { readVersionStages, versionStageField } from './version-tally';
export type { VersionStageCount } from './version-tally';
export { applyEngagement, readTemplateCounts, tallyEngagement, templateField } from './engagement';
export type { TemplateCounts, TemplateKind } from './engagement';
export { createInFlightCounter } from './in-flight';
export type { InFlightCounter, InFlightStage, InFlightVersion } from './in-flight';
export { SETTLED_STATES, deliveryStep } from './delivery-protocol';
export type {
  ClaimAction,
  ClaimOutcome,
  DeliveredAction,
  DeliveredOutcome,
  DeliveryAction,
  DeliveryOutcomes,
  DeliveryRecord,
  DeliverySlot,
  DeliveryStepResult,
  DeliveryWrite,
  EndAction,
  EndOutcome,
  OutcomeOf,
  ReleaseAction,
  ReleaseOutcome,
  SettleAction,
  SettleOutcome,
  SettledState,
} from './delivery-protocol';
