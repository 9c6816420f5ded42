import { startConsole } from '@tactful/console';
import { loadJourneys } from '@tactful/journeys';
import type { ServiceStarter } from '../runtime';

// Named `opsConsole`, not `console`, so that this module and the starters' index keep the global console.
export const opsConsole: ServiceStarter = {
  start: async (rt) =>
    startConsole({
      // drawn as diagrams; a file the services refuse is left out (the orchestrator refuses to start with it)
      journeys: (await loadJourneys(rt.config.TACTFUL_JOURNEYS)).journeys,
      app: rt.app,
      kafka: rt.kafka,
      namespace: rt.config.TACTFUL_NAMESPACE,
      store: rt.store,
      readiness: rt.readiness,
      metrics: rt.metrics,
      logger: rt.logger,
      ...(rt.config.TACTFUL_CONSOLE_TOKEN === undefined ? {} : { token: rt.config.TACTFUL_CONSOLE_TOKEN }),
      haltSignalMaxLagMs: rt.config.TACTFUL_HALT_SIGNAL_MAX_LAG_MS,
      ...(rt.overrides.consoleSampleIntervalMs
        ? { options: { sampleIntervalMs: rt.overrides.consoleSampleIntervalMs } }
        : {}),
      ...(rt.overrides.consumerConfig ? { consumerConfig: rt.overrides.consumerConfig } : {}),
    }),
};
