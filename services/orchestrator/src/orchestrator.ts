import type { StepContext } from '@tactful/engine';
import { consumerGroupsFor, topicsFor } from '@tactful/events';
import {
  createDeadLetter,
  createRenewingProducer,
  runEventConsumer,
  type Kafka,
  type ProducerLike,
  type ConsumerConfig,
} from '@tactful/kafka';
import type { Logger, ReadinessChecks, TactfulMetrics } from '@tactful/observability';
import { MIGRATED_OUTBOX_PREFIX, type Store } from '@tactful/store-redis';
import { createBatchHandler, type SubBatchStage } from './batch-handler';
import { createRelay } from './relay';

/** What one fetch takes from a partition (kafkajs `maxBytesPerPartition`). */
export const FETCH_BYTES_PER_PARTITION = 256 * 1024;

export interface OrchestratorDeps {
  readonly kafka: Kafka;
  readonly namespace: string;
  readonly store: Store;
  /** The journeys and the policy the engine steps with. */
  readonly context: () => Omit<StepContext, 'halts'>;
  readonly readiness: ReadinessChecks;
  readonly metrics: TactfulMetrics;
  readonly logger: Logger;
  readonly now?: () => Date;
  /** Partitions handled at once; each partition (so each customer) stays in order. Default 6. */
  readonly partitionsConsumedConcurrently?: number;
  /** Events applied per sub-batch: the unit of load, commit and relay. Default 300. */
  readonly subBatchSize?: number;
  /** kafkajs consumer timings; tests shrink them. */
  readonly consumerConfig?: Omit<ConsumerConfig, 'groupId'>;
  /** Fault injection for tests: called at each stage of every sub-batch. */
  readonly at?: (stage: SubBatchStage, partition: number) => void | Promise<void>;
}

export interface Orchestrator {
  /** Resolves when the consumer stops for good: with the error that stopped it, or undefined after close. */
  readonly stopped: Promise<Error | undefined>;
  /** Finishes the batch in hand (its commits and relays), commits its offsets, leaves the group. */
  close(): Promise<void>;
}

/**
 * The orchestrator: consumes `N.events` in the `N.orchestrator` group and applies every event to its
 * customer, a sub-batch at a time (see batch-handler.ts); invalid events go to `N.dlq`. Offsets are
 * committed only after a sub-batch's commit and the relay of its outbox, so a crash repeats work but loses
 * and duplicates nothing.
 */
export async function startOrchestrator(deps: OrchestratorDeps): Promise<Orchestrator> {
  const logger = deps.logger.child({ component: 'orchestrator' });
  const topics = topicsFor(deps.namespace);
  const concurrency = deps.partitionsConsumedConcurrently ?? 6;
  // a producer with one request in flight serialises its requests to a broker: one per concurrent partition, so the
  // relay of one partition never waits behind another's
  const producers: ProducerLike[] = await Promise.all(
    Array.from({ length: concurrency }, () => createRenewingProducer(deps.kafka, logger)),
  );
  const producerFor = (partition: number): ProducerLike => producers[partition % producers.length]!;
  const relay = createRelay({ store: deps.store });
  // messages a migration moved out of an older layout's outboxes: relayed once, before anything else
  for (const { shard, field, messages } of await deps.store.pendingOutbox(MIGRATED_OUTBOX_PREFIX))
    await relay(producers[0]!, messages, [{ shard, field }]);
  const now = deps.now ?? (() => new Date());
  const handleBatch = createBatchHandler({
    store: deps.store,
    relay,
    producerFor,
    context: () => ({ step: deps.context(), now: now(), topics, recentEventIds: deps.store.recentEventIds }),
    logger,
    ...(deps.subBatchSize === undefined ? {} : { subBatchSize: deps.subBatchSize }),
    ...(deps.at === undefined ? {} : { at: deps.at }),
    onCommitted: (steps) => {
      for (const step of steps) {
        for (const record of step.audit) deps.metrics.decisions.inc({ decision: record.decision });
        for (const alert of step.alerts) {
          deps.metrics.alerts.inc({ alert: alert.alert });
          logger.error({ customerId: alert.customerId, alert: alert.alert, reason: alert.reason }, 'alert');
        }
      }
    },
  });
  const consumer = await runEventConsumer({
    kafka: deps.kafka,
    groupId: consumerGroupsFor(deps.namespace).orchestrator,
    topic: topics.events,
    allowInternal: true,
    handleBatch,
    deadLetter: createDeadLetter({
      producer: producers[0]!,
      dlqTopic: topics.dlq,
      metrics: deps.metrics,
      logger,
    }),
    logger,
    metrics: deps.metrics,
    partitionsConsumedConcurrently: concurrency,
    // a fetched batch is parsed whole before its first sub-batch: about a thousand events a partition,
    // not the several thousand of kafkajs's 1 MiB default, so a backlog's first commands come at once
    consumerConfig: { maxBytesPerPartition: FETCH_BYTES_PER_PARTITION, ...deps.consumerConfig },
  });
  const removeCheck = deps.readiness.add('orchestrator.consumer', async () => ({
    ok: consumer.isReady(),
    detail: consumer.isReady() ? 'member of its group' : 'not (yet) a member of its consumer group',
  }));
  return {
    stopped: consumer.stopped,
    async close() {
      removeCheck();
      await consumer.stop();
      await Promise.all(producers.map((p) => p.disconnect()));
      logger.info('orchestrator closed');
    },
  };
}
