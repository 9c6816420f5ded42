import { topicsFor } from '@tactful/events';
import { createRenewingProducer, type Kafka } from '@tactful/kafka';
import type { Logger, ReadinessChecks, TactfulMetrics } from '@tactful/observability';
import type { Store } from '@tactful/store-redis';
import { createTimerService, TIMER_SERVICE_DEFAULTS, type TimerServiceOptions } from './timer-service';

export interface SchedulerDeps {
  readonly kafka: Kafka;
  readonly namespace: string;
  readonly store: Store;
  readonly readiness: ReadinessChecks;
  readonly metrics: Pick<TactfulMetrics, 'timersFired' | 'timerFiringDelay' | 'timerBacklog'>;
  readonly logger: Logger;
  readonly options?: Partial<TimerServiceOptions>;
}

export interface Scheduler {
  close(): Promise<void>;
}

/** The timer service as a service of `tactful run`: a producer, the polling loop, a readiness check. */
export async function startScheduler(deps: SchedulerDeps): Promise<Scheduler> {
  const logger = deps.logger.child({ component: 'scheduler' });
  const producer = await createRenewingProducer(deps.kafka, logger);
  let lastPass = 0;
  const service = createTimerService(
    {
      store: deps.store,
      producer,
      eventsTopic: topicsFor(deps.namespace).events,
      logger,
      onPass: () => {
        lastPass = Date.now();
      },
      onFired: (timers, firedAt) => {
        deps.metrics.timersFired.inc(timers.length);
        for (const t of timers) deps.metrics.timerFiringDelay.observe(Math.max(0, firedAt - t.dueAt) / 1000);
      },
    },
    { ...TIMER_SERVICE_DEFAULTS, ...deps.options },
  );
  service.start();
  const pollIntervalMs = deps.options?.pollIntervalMs ?? TIMER_SERVICE_DEFAULTS.pollIntervalMs;
  const removeCheck = deps.readiness.add('scheduler.timers', async () => {
    const age = Date.now() - lastPass;
    // ready while passes over every shard keep succeeding
    const ok = lastPass > 0 && age < Math.max(5000, pollIntervalMs * 20);
    return { ok, detail: lastPass === 0 ? 'no pass over the timers yet' : `last pass ${age} ms ago` };
  });
  const backlog = setInterval(() => {
    deps.store.timerBacklog(Date.now()).then(
      (b) => deps.metrics.timerBacklog.set(b.count),
      (err: unknown) => logger.warn({ err }, 'could not measure the timer backlog'),
    );
  }, 5000);
  backlog.unref();
  return {
    async close() {
      removeCheck();
      clearInterval(backlog);
      await service.stop();
      await producer.disconnect();
      logger.info('scheduler closed');
    },
  };
}
