import type { JourneyCatalog } from '@tactful/engine';
import { startSentinel } from '@tactful/sentinel';
import { loadJourneyCatalog } from '../engine-context';
import type { ServiceStarter } from '../runtime';

// The sentinel needs the journeys (which of them a reply or a purchase halts) but not the policy.
export const sentinel: ServiceStarter = {
  prepare: (config) => loadJourneyCatalog(config.TACTFUL_JOURNEYS),
  async start(rt, prepared) {
    const sentinel = await startSentinel({
      kafka: rt.kafka,
      namespace: rt.config.TACTFUL_NAMESPACE,
      store: rt.store,
      catalog: prepared as JourneyCatalog,
      readiness: rt.readiness,
      metrics: rt.metrics,
      logger: rt.logger,
      ...(rt.overrides.consumerConfig ? { consumerConfig: rt.overrides.consumerConfig } : {}),
    });
    return { stopped: sentinel.stopped, close: () => sentinel.close() };
  },
};
