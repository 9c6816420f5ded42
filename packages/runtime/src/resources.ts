import type { FastifyInstance } from 'fastify';
import type { ConsumerConfig, Kafka } from '@tactful/kafka';
import type { Logger, Metrics, ReadinessChecks } from '@tactful/observability';
import type { Cluster, Redis, Store } from '@tactful/store-redis';
import type { ServiceConfig } from './service-config';

/**
 * The runtime one process hands to every service it runs, built once by `startServices` from the
 * configuration: the services share the clients, the metrics registry, the readiness checks and the HTTP
 * server, and each takes from here what it needs instead of being wired field by field.
 */
export interface ServiceResources {
  readonly config: ServiceConfig;
  /** `config.TACTFUL_NAMESPACE`, the prefix of every topic, group and key. */
  readonly namespace: string;
  readonly logger: Logger;
  readonly kafka: Kafka;
  readonly redis: Redis | Cluster;
  readonly store: Store;
  readonly metrics: Metrics;
  readonly readiness: ReadinessChecks;
  /** The ops server's fastify instance, before it listens: HTTP services register their routes here. */
  readonly app: FastifyInstance;
  /** The clock of every decision; the wall clock unless a test passes its own. */
  readonly now: () => Date;
  /** kafkajs consumer timings, from `TACTFUL_CONSUMER_SESSION_TIMEOUT_MS` unless a test shrinks them. */
  readonly consumerConfig: Omit<ConsumerConfig, 'groupId'>;
}
