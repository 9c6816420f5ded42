import type { JourneyCatalog } from '@tactful/engine';
import { loadJourneyCatalog, type ServiceStarter } from '@tactful/runtime';
import { startSentinel } from './sentinel';

/**
 * The halt sentinel on a process's resources. It needs the journeys (which of them a reply or a purchase
 * halts) but not the policy, and refuses the journey files the orchestrator refuses.
 */
export const sentinelStarter: ServiceStarter<JourneyCatalog> = {
  prepare: (config) => loadJourneyCatalog(config.TACTFUL_JOURNEYS),
  async start(rt, catalog) {
    const sentinel = await startSentinel({
      kafka: rt.kafka,
      namespace: rt.namespace,
      store: rt.store,
      catalog,
      readiness: rt.readiness,
      metrics: rt.metrics,
      logger: rt.logger,
      consumerConfig: rt.consumerConfig,
    });
    return { stopped: sentinel.stopped, close: () => sentinel.close() };
  },
};
