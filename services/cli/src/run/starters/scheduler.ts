import { startScheduler } from '@tactful/scheduler';
import type { ServiceStarter } from '../runtime';

export const scheduler: ServiceStarter = {
  start: (rt) =>
    startScheduler({
      kafka: rt.kafka,
      namespace: rt.config.TACTFUL_NAMESPACE,
      store: rt.store,
      readiness: rt.readiness,
      metrics: rt.metrics,
      logger: rt.logger,
      ...(rt.overrides.schedulerPollMs ? { options: { pollIntervalMs: rt.overrides.schedulerPollMs } } : {}),
    }),
};
