import type { AuditRecord, EmailSentEvent, EmailSendCommand, TactfulEvent } from '@tactful/events';
import { assertNever } from '@tactful/events';
import type { CustomerState } from './customer-state';
import type { Timer } from './effect';
import type { StepResult } from './step';
import { step } from './step';
import type { StepContext } from './step-run';
import { timerFiredEvent } from './timer-fired';

// One customer's life on a virtual clock, played the way the services play it, with nothing but `step`:
// the orchestrator's part (deduplicate by event id, keep the state, store and delete timers as the
// effects say), the timer service's (a due timer becomes `timer.fired`, in due order) and the
// dispatcher's (each send comes back as `email.sent`). No I/O and no clock: time is what the caller says.

/** Why the simulator applied an event. */
export type SimulatedCause = 'event' | 'timer' | 'delivery';

/** One event the simulator applied, when, and the decisions it caused. */
export interface SimulatedStep {
  /** Epoch milliseconds on the virtual clock. */
  readonly at: number;
  readonly cause: SimulatedCause;
  readonly event: TactfulEvent;
  /** The audit records of the step, in order (CONTRACT.md section 6). */
  readonly decisions: readonly AuditRecord[];
  /** The commands the step decided to send. */
  readonly sends: readonly EmailSendCommand[];
  /** The blast guard tripped on this step. */
  readonly alert: boolean;
  /** For a `timer` step, the timer that fired. */
  readonly timer?: Timer;
}

export interface SimulatorOptions {
  /** Report every send back as `email.sent`, as the dispatcher does once it delivered (default true). */
  readonly deliver?: boolean;
  /** Called with every step, as it happens (a caller that only counts need not keep them). */
  readonly onStep?: (step: SimulatedStep) => void;
}

/** A customer being simulated: feed it events and move its clock; it fires its own timers. */
export interface Simulator {
  readonly state: CustomerState;
  /** The virtual time of the latest step (epoch ms), never going backwards. */
  readonly now: number;
  /** Timers waiting, soonest first. */
  pendingTimers(): Timer[];
  /**
   * Fires, in due order, every timer due at or before `at`, then applies `event` at `at` (or at the
   * latest step's time, if `at` is earlier: one customer's clock never goes backwards). An event whose
   * id was already applied is ignored, as the orchestrator ignores duplicates.
   */
  apply(event: TactfulEvent, at: number): void;
  /** Fires, in due order, every timer due at or before `at`, and moves the clock to `at`. */
  advance(at: number): void;
  /**
   * Steps with `ctx` from now on: another catalog, as when a new version of a journey is deployed (the
   * customer's next step moves them if it takes them). Timers due by now should be fired first (`advance`).
   */
  reconfigure(ctx: StepContext): void;
}

/** The id of the `email.sent` a delivered command becomes (the dispatcher's scheme). */
export const deliveryEventId = (commandId: string): string => `sent-${commandId}`;

/** Pure. A simulator for one customer starting from `state` at `start` (epoch ms). */
export function createSimulator(
  initial: CustomerState,
  ctx: StepContext,
  start: number,
  options: SimulatorOptions = {},
): Simulator {
  let state = initial;
  let now = start;
  const timers = new Map<string, Timer>();
  // the timers as the orchestrator hands them to `step`: a customer moved to a newer version keeps the time waited
  const withTimers = (c: StepContext): StepContext => ({ ...c, pendingTimer: (id) => timers.get(id) });
  let stepCtx = withTimers(ctx);
  const applied = new Set<string>();
  const deliver = options.deliver ?? true;

  function run(event: TactfulEvent, cause: SimulatedCause, timer?: Timer): void {
    if (applied.has(event.id)) return;
    applied.add(event.id);
    const result: StepResult = step(state, event, new Date(now), stepCtx);
    state = result.state;
    const { decisions, sends, alert } = carryOut(result.effects, timers);
    options.onStep?.({
      at: now,
      cause,
      event,
      decisions,
      sends,
      alert,
      ...(timer === undefined ? {} : { timer }),
    });
    if (deliver) for (const command of sends) run(deliveryOf(command, now), 'delivery');
  }

  function fireDue(until: number): void {
    for (;;) {
      const due = nextDue(timers, until);
      if (due === undefined) return;
      // the timer service deletes a timer when it fires it, whether or not the engine still wants it
      timers.delete(due.id);
      now = Math.max(now, due.dueAt);
      run(timerFiredEvent(due, new Date(now)), 'timer', due);
    }
  }

  return {
    get state() {
      return state;
    },
    get now() {
      return now;
    },
    pendingTimers: () => [...timers.values()].sort((a, b) => a.dueAt - b.dueAt || (a.id < b.id ? -1 : 1)),
    apply(event, at) {
      fireDue(at);
      now = Math.max(now, at);
      run(event, 'event');
    },
    advance(at) {
      fireDue(at);
      now = Math.max(now, at);
    },
    reconfigure(next) {
      stepCtx = withTimers(next);
    },
  };
}

/** What one step decided: the effects other than timers, which `carryOut` applies to `timers` itself. */
interface StepOutcome {
  readonly decisions: AuditRecord[];
  readonly sends: EmailSendCommand[];
  readonly alert: boolean;
}

/** Stores and deletes `timers` as the effects say (the orchestrator's part) and gathers the rest. */
function carryOut(effects: StepResult['effects'], timers: Map<string, Timer>): StepOutcome {
  const decisions: AuditRecord[] = [];
  const sends: EmailSendCommand[] = [];
  let alert = false;
  for (const effect of effects) {
    switch (effect.type) {
      case 'schedule':
        timers.set(effect.timer.id, effect.timer);
        break;
      case 'cancel':
        timers.delete(effect.timerId);
        break;
      case 'audit':
        decisions.push(effect.record);
        break;
      case 'send':
        sends.push(effect.command);
        break;
      case 'alert':
        alert = true;
        break;
      default:
        assertNever(effect, 'effect');
    }
  }
  return { decisions, sends, alert };
}

/** Pure. The timer due first at or before `until`, ties broken by id, as the timer service orders them. */
function nextDue(timers: ReadonlyMap<string, Timer>, until: number): Timer | undefined {
  let due: Timer | undefined;
  for (const timer of timers.values()) {
    if (timer.dueAt > until) continue;
    if (due === undefined || timer.dueAt < due.dueAt || (timer.dueAt === due.dueAt && timer.id < due.id))
      due = timer;
  }
  return due;
}

/** Pure. The `email.sent` the dispatcher reports for a command it delivered at `at`. */
export function deliveryOf(command: EmailSendCommand, at: number): EmailSentEvent {
  return {
    specversion: '1.0',
    id: deliveryEventId(command.id),
    source: 'tactful/simulation',
    type: 'email.sent',
    subject: command.customerId,
    time: new Date(at).toISOString(),
    datacontenttype: 'application/json',
    data: { commandId: command.id, template: command.template, messageId: `<${command.id}@simulation>` },
  };
}
