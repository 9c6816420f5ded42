import { TactfulError } from '@tactful/events';
import type { JourneySnapshot } from './compile-journey';
import type { ActionLike, JourneyAction } from './journey-effects';
import { actionsOf } from './journey-effects';

/**
 * How a journey moves a customer, whoever computes it: the step tables compiled at load
 * (`compileSteps`, what the engine uses) or XState itself (`xstateStepper`, the reference they are
 * checked against). A customer's place in a journey is its **stage**: the dotted path of the deepest
 * state it is in (`welcome`, `onboarding.tips`). Journeys have no parallel states, so one path says it
 * all, and the XState snapshot can be rebuilt from it.
 */
export interface JourneyStepper {
  readonly journeyId: string;
  /** Entering the journey: the first stage and the actions of entering it. */
  start(): JourneyMove;
  /**
   * What `event` does to a customer at `stage`, or undefined when it does nothing there (not listened
   * to, no guard holds, a wait of a state already left). Throws `TactfulError('internal')` for a stage
   * the journey does not have.
   */
  next(
    stage: string,
    event: { readonly type: string; readonly data?: unknown },
    customerId: string,
  ): JourneyMove | undefined;
  /** Whether `stage` is a final state of the journey (the journey ends there). */
  isFinal(stage: string): boolean;
}

/** One step: where the customer is now, whether the journey ended, and what to do, in XState's order. */
export interface JourneyMove {
  readonly stage: string;
  readonly done: boolean;
  readonly actions: readonly JourneyAction[];
}

/** XState's state value: a state name, or `{ parent: child value }` for nested states. */
export type StageValue = string | { readonly [state: string]: StageValue };

/** Pure. The stage of an XState state value: `'welcome'` → `welcome`, `{ onboarding: 'tips' }` → `onboarding.tips`. */
export function stageOfValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    const [only] = entries;
    if (entries.length === 1 && only !== undefined) return `${only[0]}.${stageOfValue(only[1])}`;
  }
  // Journeys have neither parallel states nor empty ones; anything else is not a journey's state value.
  throw new TactfulError('internal', `not the state value of a journey: ${JSON.stringify(value)}`);
}

/** Pure. The XState state value of a stage: `onboarding.tips` → `{ onboarding: 'tips' }`. */
export function valueOfStage(stage: string): StageValue {
  const names = stage.split('.');
  let value: StageValue = names.pop() ?? stage;
  for (let i = names.length - 1; i >= 0; i--) value = { [names[i] as string]: value };
  return value;
}

/**
 * Pure. The move of one `transition()` result from `from`, or undefined when it changes nothing. Shared
 * by every customer, so frozen.
 */
export function moveOf(
  from: string | undefined,
  { next, actions }: { next: JourneySnapshot; actions: readonly ActionLike[] },
): JourneyMove | undefined {
  const stage = stageOfValue(next.value);
  const read = actionsOf(actions);
  if (stage === from && read.length === 0) return undefined;
  for (const action of read) {
    Object.freeze(action);
    if (action.type === 'schedule') Object.freeze(action.event);
  }
  return Object.freeze({ stage, done: next.status === 'done', actions: Object.freeze(read) });
}
