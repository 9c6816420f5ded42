import type { ServiceStarter } from '@tactful/runtime';
import { startScheduler, type SchedulerDeps } from './scheduler';

/** What a caller of the scheduler's starter may set beyond the shared resources (tests shrink the poll). */
export type SchedulerOptions = NonNullable<SchedulerDeps['options']>;

/** The timer service on a process's resources; it has nothing to check before it starts. */
export const schedulerStarter: ServiceStarter<void, SchedulerOptions> = {
  prepare: async () => undefined,
  start: (rt, _prepared, options) =>
    startScheduler({
      kafka: rt.kafka,
      namespace: rt.namespace,
      store: rt.store,
      readiness: rt.readiness,
      metrics: rt.metrics,
      logger: rt.logger,
      options,
    }),
};
