import type { StepContext } from '@tactful/engine';
import { loadEngineContext, type ServiceStarter } from '@tactful/runtime';
import { startOrchestrator, type OrchestratorDeps } from './orchestrator';

/** What a caller of the orchestrator's starter may set beyond the shared resources (tests shrink them). */
export type OrchestratorOptions = Partial<Pick<OrchestratorDeps, 'subBatchSize' | 'at'>>;

/** The orchestrator on a process's resources; `prepare` refuses a journey or policy file with every problem. */
export const orchestratorStarter: ServiceStarter<Omit<StepContext, 'halts'>, OrchestratorOptions> = {
  prepare: (config) => loadEngineContext(config.TACTFUL_JOURNEYS, config.TACTFUL_POLICY),
  start: (rt, context, options) =>
    startOrchestrator({
      kafka: rt.kafka,
      namespace: rt.namespace,
      store: rt.store,
      readiness: rt.readiness,
      metrics: rt.metrics,
      logger: rt.logger,
      context: () => context,
      now: rt.now,
      consumerConfig: rt.consumerConfig,
      ...options,
    }),
};
