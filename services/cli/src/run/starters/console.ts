import { startConsole } from '@tactful/console';
import { formatProblem, loadJourneys } from '@tactful/journeys';
import type { ServiceStarter } from '../runtime';

// Named `opsConsole`, not `console`, so that this module and the starters' index keep the global console.
export const opsConsole: ServiceStarter = {
  start: async (rt) => {
    // drawn as diagrams; a file the services refuse is left out (the orchestrator refuses to start with
    // it), and said, so that a journey missing from the page has its reason in the log
    const loaded = await loadJourneys(rt.config.TACTFUL_JOURNEYS);
    if (loaded.problems.length > 0)
      rt.logger.warn(
        { component: 'console', problems: loaded.problems.map(formatProblem) },
        'journeys left out of the console: their files are refused',
      );
    return startConsole({
      journeys: loaded.journeys,
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
    });
  },
};
