import { initialTransition, transition } from 'xstate';
import type { JourneyMachine } from './compile-journey';
import type { JourneyMove, JourneyStepper } from './journey-stepper';
import { moveOf, valueOfStage } from './journey-stepper';

/**
 * Pure. A journey stepped by XState itself, for every event: the snapshot is rebuilt from the stage
 * (`resolveState`), then `transition()` decides. The reference the compiled step tables are checked
 * against, and what a benchmark measures them against; the engine steps with `compileSteps`.
 */
export function xstateStepper(machine: JourneyMachine): JourneyStepper {
  const restore = (stage: string) => machine.resolveState({ value: valueOfStage(stage), context: {} });
  return {
    journeyId: machine.id,
    start(): JourneyMove {
      const [first, actions] = initialTransition(machine);
      // A machine always enters some state, so there is always a move.
      return moveOf(undefined, { next: first, actions }) as JourneyMove;
    },
    next(stage, event, customerId) {
      const [next, actions] = transition(machine, restore(stage), {
        type: event.type,
        data: event.data,
        customerId,
      });
      return moveOf(stage, { next, actions });
    },
    isFinal: (stage) => restore(stage).status === 'done',
  };
}
