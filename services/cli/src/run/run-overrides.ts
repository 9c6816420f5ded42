import type { ConsumerConfig } from '@tactful/kafka';
import type { OrchestratorOptions } from '@tactful/orchestrator';

/** Timings and bindings tests shrink; production leaves them alone. */
export interface RunOverrides {
  readonly host?: string;
  readonly now?: () => Date;
  readonly schedulerPollMs?: number;
  /** Between two lag samples of the console (default 5 s). */
  readonly consoleSampleIntervalMs?: number;
  /** Between two lag samples of the halt sentinel's group by the dispatcher (default 1 s). */
  readonly haltSignalSampleMs?: number;
  readonly consumerConfig?: Omit<ConsumerConfig, 'groupId'>;
  /** Events per sub-batch of the orchestrator (default 300). */
  readonly subBatchSize?: number;
  /** Fault injection: called at each stage of every sub-batch of the orchestrator (a test kills it there). */
  readonly orchestratorAt?: OrchestratorOptions['at'];
}
