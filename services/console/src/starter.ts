import { formatProblem, loadJourneys, type LoadedJourneys } from '@tactful/journeys';
import type { ServiceStarter } from '@tactful/runtime';
import { startConsole, type ConsoleOptions } from './console';

/** What a caller of the console's starter may set beyond the shared resources (tests shrink the sampling). */
export type ConsoleStarterOptions = Partial<Pick<ConsoleOptions, 'sampleIntervalMs'>>;

/**
 * The ops console on a process's resources. The journeys are drawn as diagrams; a file the services
 * refuse is left out (the orchestrator refuses to start with it) and said, so that a journey missing
 * from the page has its reason in the log.
 */
export const consoleStarter: ServiceStarter<LoadedJourneys, ConsoleStarterOptions> = {
  prepare: (config) => loadJourneys(config.TACTFUL_JOURNEYS),
  start: (rt, loaded, options) => {
    if (loaded.problems.length > 0)
      rt.logger.warn(
        { component: 'console', problems: loaded.problems.map(formatProblem) },
        'journeys left out of the console: their files are refused',
      );
    return startConsole({
      journeys: loaded.journeys,
      app: rt.app,
      kafka: rt.kafka,
      namespace: rt.namespace,
      store: rt.store,
      readiness: rt.readiness,
      metrics: rt.metrics,
      logger: rt.logger,
      ...(rt.config.TACTFUL_CONSOLE_TOKEN === undefined ? {} : { token: rt.config.TACTFUL_CONSOLE_TOKEN }),
      haltSignalMaxLagMs: rt.config.TACTFUL_HALT_SIGNAL_MAX_LAG_MS,
      options,
      consumerConfig: rt.consumerConfig,
    });
  },
};
