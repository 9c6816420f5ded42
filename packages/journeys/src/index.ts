export {
  ACTION_TYPES,
  ActionConfig,
  ActionList,
  CHANNELS,
  SendAction,
  SendParams,
  TemplateName,
  Topic,
} from './action-config';
export type { ActionType, Channel } from './action-config';
export { checkTemplateClasses } from './check-template-classes';
export { checkJourney } from './check-journey';
export { checkMigrateTargets, checkMigrations, waitingStages } from './check-migrate';
export type { MigrateCheckInput, MigrateFindings } from './check-migrate';
export type { CheckedJourney } from './check-journey';
export { compileJourney } from './compile-journey';
export { compileSteps, splitDecides } from './compile-steps';
export type { CompiledBranch, CompiledChoice, CompiledJourney, CompiledStage } from './compile-steps';
export type { JourneyEvent, JourneyMachine, JourneySnapshot, StagedSendParams } from './compile-journey';
export { DataPath, DataValue, dataMatches, valueAtPath } from './data-path';
export { diagramSourceOf, readDiagramSource } from './diagram-source';
export type {
  DiagramAction,
  DiagramGuard,
  DiagramJourney,
  DiagramState,
  DiagramTransition,
} from './diagram-source';
export { parseDelayKey } from './delay-key';
export { assignmentPoint, inHoldout, inSplit } from './assignment';
export { Goal, GoalWindow, HoldoutPercent, goalMatches } from './goal';
export {
  GUARD_TYPES,
  DataEqualsGuard,
  DataEqualsParams,
  GuardConfig,
  SplitGuard,
  SplitParams,
  dataEquals,
} from './guard-config';
export { entryMove } from './entry-move';
export type { GuardType } from './guard-config';
export { humanDuration } from './human-duration';
export { GUARD_TESTS, guardHolds } from './guard-holds';
export type { GuardInput, GuardTests } from './guard-holds';
// The reader lives in @tactful/events, shared with the policy; re-exported for callers of this package.
export { formatIsoDuration, parseIsoDuration } from '@tactful/events';
export type { ParsedDuration } from '@tactful/events';
export { AUDIENCE_EXCLUSIONS, Audience, Journey, JourneyId, Reentry } from './journey';
export { guardText, journeyDiagram, waitText } from './journey-diagram';
export { actionsOf, effectsOf } from './journey-effects';
export type { ActionLike, JourneyAction, JourneyEffect, SendActionParams } from './journey-effects';
export { DURATION_PATTERN, journeyJsonSchema } from './json-schema';
export { JourneyEventType } from './journey-event-type';
export { stageOfValue, valueOfStage } from './journey-stepper';
export type { JourneyMove, JourneyStepper, StageValue } from './journey-stepper';
export {
  JOURNEY_FILE_EXTENSIONS,
  loadJourneyFile,
  loadJourneys,
  requireJourneys,
  validateJourneyFile,
  validateJourneys,
} from './load-journeys';
export type { LoadedJourney, LoadedJourneys, ValidationResult } from './load-journeys';
export {
  AfterConfig,
  MachineConfig,
  OnConfig,
  StateConfig,
  StateName,
  TransitionConfig,
  Transitions,
} from './machine-config';
export { Migrate, StagePath } from './migrate-config';
export { parseJourney } from './parse-journey';
export type { ParsedJourney } from './parse-journey';
export { formatProblem } from './problem';
export type { Problem } from './problem';
export { templatesOf } from './templates-of';
export { Trigger, triggerMatches } from './trigger';
export { xstateStepper } from './xstate-stepper';
