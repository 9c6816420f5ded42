import type { FastifyInstance } from 'fastify';
import type { Cluster, Redis, Store } from '@tactful/store-redis';
import type { ConsumerConfig, Kafka } from '@tactful/kafka';
import type { Logger, Metrics, ReadinessChecks } from '@tactful/observability';
import type { OrchestratorDeps } from '@tactful/orchestrator';
import type { RunConfig } from './config';

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
  readonly orchestratorAt?: OrchestratorDeps['at'];
}

/** What one process shares between the services it runs: built once by `startStack`. */
export interface Runtime {
  readonly config: ReturnType<typeof RunConfig.parse>;
  readonly kafka: Kafka;
  readonly redis: Redis | Cluster;
  readonly store: Store;
  readonly readiness: ReadinessChecks;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** The ops server's fastify instance, before it listens: HTTP services register their routes here. */
  readonly app: FastifyInstance;
  readonly overrides: RunOverrides;
}

/** A service started in the process. */
export interface RunningService {
  close(): Promise<void>;
  /** Resolves when the service stopped on its own (a failure it does not retry). */
  readonly stopped?: Promise<Error | undefined>;
}

/** Starts one service. Checks that can refuse the start (files, config) run in `prepare`, before any. */
export interface ServiceStarter {
  /** Loads and checks what the service needs; throws with every problem. Runs before anything starts. */
  prepare?(config: Runtime['config']): Promise<unknown>;
  start(runtime: Runtime, prepared: unknown): Promise<RunningService>;
}
