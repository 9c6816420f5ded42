import type { Producer } from '@tactful/kafka';
import type { Logger } from 'pino';
import { Timer as EngineTimer, timerFiredEvent } from '@tactful/engine';
import { encodeEvent, ORIGIN_HEADER, SCHEDULER_ORIGIN, TactfulError } from '@tactful/events';
import type { Store, Timer } from '@tactful/store-redis';

export interface TimerServiceOptions {
  /** How often every shard is polled for due timers. */
  pollIntervalMs: number;
  /** The most timers taken from one shard per poll. */
  batchPerShard: number;
}

export const TIMER_SERVICE_DEFAULTS: TimerServiceOptions = { pollIntervalMs: 200, batchPerShard: 500 };

export interface TimerServiceDeps {
  store: Pick<Store, 'shards' | 'dueTimers' | 'removeTimers'>;
  producer: Pick<Producer, 'send'>;
  eventsTopic: string;
  logger: Logger;
  now?: () => number;
  onFired?: (timers: Timer[], firedAt: number) => void;
  /** After every successful pass over all shards (a liveness signal for readiness). */
  onPass?: () => void;
}

export interface TimerService {
  /** One pass over every shard; resolves with the number of timers fired. */
  tick(): Promise<number>;
  start(): void;
  /** Finishes the pass under way, then stops polling. */
  stop(): Promise<void>;
}

/**
 * Turns due timers into `timer.fired` events on `N.events`, keyed by the customer so each lands in order
 * with everything else that customer did, and marked `tactful-origin: scheduler`, without which the
 * orchestrator refuses a `timer.fired`. A timer is removed only after Kafka acknowledged its event;
 * a crash in between fires it again with the same event id, which the orchestrator drops as a duplicate.
 */
export function createTimerService(
  deps: TimerServiceDeps,
  options: TimerServiceOptions = TIMER_SERVICE_DEFAULTS,
) {
  const logger = deps.logger.child({ component: 'timer-service' });
  const now = deps.now ?? Date.now;
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;

  async function fireShard(shard: number, at: number): Promise<number> {
    let fired = 0;
    for (;;) {
      const due = await deps.store.dueTimers(shard, at, options.batchPerShard);
      if (due.length === 0) return fired;
      const firedAt = new Date(now());
      const events = due.flatMap((timer) => {
        const parsed = EngineTimer.safeParse(timer);
        if (parsed.success) {
          const message = encodeEvent(timerFiredEvent(parsed.data, firedAt));
          // the orchestrator applies a timer.fired only with this mark: one from anywhere else is refused
          return [{ ...message, headers: { ...message.headers, [ORIGIN_HEADER]: SCHEDULER_ORIGIN } }];
        }
        // not a wait the engine wrote: it can never be applied, so it is dropped with a trace
        logger.error(
          { customerId: timer.customerId, timerId: timer.id, issues: parsed.error.issues },
          'unreadable timer dropped',
        );
        return [];
      });
      if (events.length > 0)
        await deps.producer.send({ topic: deps.eventsTopic, acks: -1, messages: events });
      await deps.store.removeTimers(
        shard,
        due.map((t) => ({ customerId: t.customerId, timerId: t.id, dueAt: t.dueAt })),
      );
      deps.onFired?.(due, firedAt.getTime());
      fired += due.length;
      if (due.length < options.batchPerShard) return fired;
    }
  }

  async function tick(): Promise<number> {
    const at = now();
    const shards = Array.from({ length: deps.store.shards }, (_, i) => i);
    const counts = await Promise.all(shards.map((s) => fireShard(s, at)));
    return counts.reduce((a, b) => a + b, 0);
  }

  async function run(): Promise<void> {
    let failures = 0;
    while (running) {
      try {
        const fired = await tick();
        deps.onPass?.();
        if (fired > 0) logger.debug({ fired }, 'timers fired');
        failures = 0;
      } catch (err) {
        failures += 1;
        const retriable = !(err instanceof TactfulError) || err.retriable;
        logger.error({ err, failures, retriable }, 'firing timers failed; the timers stay pending');
      }
      // back off while Kafka or Redis is failing, up to ten poll intervals
      const wait = options.pollIntervalMs * Math.min(10, 2 ** failures);
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, wait);
      });
    }
  }

  return {
    tick,
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
  } satisfies TimerService;
}
