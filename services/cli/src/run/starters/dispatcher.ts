import { prepareDispatcher, startDispatcher, type PreparedDispatcher } from '@tactful/dispatcher';
import type { ServiceStarter } from '../runtime';

export const dispatcher: ServiceStarter = {
  // templates, journeys, policy and TACTFUL_SMTP_URL, all checked before any service starts
  prepare: (config) => prepareDispatcher(config),
  start: (rt, prepared) =>
    startDispatcher({
      kafka: rt.kafka,
      redis: rt.redis,
      namespace: rt.config.TACTFUL_NAMESPACE,
      store: rt.store,
      prepared: prepared as PreparedDispatcher,
      readiness: rt.readiness,
      metrics: rt.metrics,
      logger: rt.logger,
      ...(rt.overrides.now ? { now: rt.overrides.now } : {}),
      ...(rt.overrides.consumerConfig ? { consumerConfig: rt.overrides.consumerConfig } : {}),
      ...(rt.overrides.haltSignalSampleMs ? { haltSignalSampleMs: rt.overrides.haltSignalSampleMs } : {}),
    }),
};
