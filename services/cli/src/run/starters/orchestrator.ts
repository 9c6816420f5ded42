import type { StepContext } from '@tactful/engine';
import { startOrchestrator } from '@tactful/orchestrator';
import { loadEngineContext } from '../engine-context';
import type { ServiceStarter } from '../runtime';

export const orchestrator: ServiceStarter = {
  prepare: (config) => loadEngineContext(config.TACTFUL_JOURNEYS, config.TACTFUL_POLICY),
  async start(rt, prepared) {
    const context = prepared as Omit<StepContext, 'halts'>;
    return startOrchestrator({
      kafka: rt.kafka,
      namespace: rt.config.TACTFUL_NAMESPACE,
      store: rt.store,
      readiness: rt.readiness,
      metrics: rt.metrics,
      logger: rt.logger,
      context: () => context,
      ...(rt.overrides.now ? { now: rt.overrides.now } : {}),
      ...(rt.overrides.consumerConfig ? { consumerConfig: rt.overrides.consumerConfig } : {}),
      ...(rt.overrides.subBatchSize ? { subBatchSize: rt.overrides.subBatchSize } : {}),
      ...(rt.overrides.orchestratorAt ? { at: rt.overrides.orchestratorAt } : {}),
    });
  },
};
