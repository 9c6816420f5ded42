export { buildCatalog, byIdOf, journeyVersion } from './catalog';
export type { CatalogEntry, CatalogInput, CatalogOptions, JourneyCatalog, WaitInfo } from './catalog';
export {
  ActiveJourney,
  CustomerState,
  DeferredSend,
  JourneyHistory,
  OUTCOMES,
  Outcome,
  Profile,
  Purchase,
  TriggerRecord,
  emptyCustomerState,
} from './customer-state';
export { ALERTS, Effect, Timer, TimerPayload, effectsOfType } from './effect';
export type { EffectType } from './effect';
export { HaltMark, coveringMark } from './halt-mark';
export { exitFor } from './halts';
export type { Exit } from './exit-journey';
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
