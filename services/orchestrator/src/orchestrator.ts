import type { StepContext } from '@tactful/engine';
import { consumerGroupsFor, topicsFor, type AuditRecord } from '@tactful/events';
import { createDeadLetter, createRenewingProducer, runEventConsumer, type Kafka } from '@tactful/kafka';
import type { ConsumerConfig } from 'kafkajs';
import type { Logger, ReadinessChecks, TactfulMetrics } from '@tactful/observability';
import type { Store } from '@tactful/store-redis';
import { createEventHandler } from './event-handler';
import type { OutboxEntry } from './outbox';
import { createRelay } from './relay';

export interface OrchestratorDeps {
  readonly kafka: Kafka;
  readonly namespace: string;
  readonly store: Store<OutboxEntry, AuditRecord>;
  /** The journeys and the policy the engine steps with. */
  readonly context: () => Omit<StepContext, 'halts'>;
  readonly readiness: ReadinessChecks;
  readonly metrics: TactfulMetrics;
  readonly logger: Logger;
  readonly now?: () => Date;
  /** Partitions handled at once; each partition (so each customer) stays in order. Default 6. */
  readonly partitionsConsumedConcurrently?: number;
  /** Customers of one batch applied at once (each customer's events stay in order). Default 64. */
  readonly customersConcurrently?: number;
  /** kafkajs consumer timings; tests shrink them. */
  readonly consumerConfig?: Omit<ConsumerConfig, 'groupId'>;
}

export interface Orchestrator {
  /** Resolves when the consumer stops for good: with the error that stopped it, or undefined after close. */
  readonly stopped: Promise<Error | undefined>;
  /** Finishes the event in hand (its commit and relay), commits its offset, leaves the group. */
  close(): Promise<void>;
}

/**
 * The orchestrator: consumes `N.events` in the `N.orchestrator` group and applies every event to its
 * customer (see event-handler.ts); invalid events go to `N.dlq`. Offsets are committed only after the state
 * commit and the outbox relay of the event, so a crash repeats work but loses and duplicates nothing.
 */
export async function startOrchestrator(deps: OrchestratorDeps): Promise<Orchestrator> {
  const logger = deps.logger.child({ component: 'orchestrator' });
  const topics = topicsFor(deps.namespace);
  const producer = await createRenewingProducer(deps.kafka, logger);
  const relay = createRelay({ store: deps.store, producer, topics });
  const handler = createEventHandler({
    store: deps.store,
    relay,
    context: deps.context,
    logger,
    ...(deps.now ? { now: deps.now } : {}),
    onCommitted: (_event, output) => {
      for (const record of output.batch.audit) deps.metrics.decisions.inc({ decision: record.decision });
      for (const alert of output.alerts) {
        deps.metrics.alerts.inc({ alert: alert.alert });
        logger.error({ customerId: alert.customerId, alert: alert.alert, reason: alert.reason }, 'alert');
      }
    },
  });
  const consumer = await runEventConsumer({
    kafka: deps.kafka,
    groupId: consumerGroupsFor(deps.namespace).orchestrator,
    topic: topics.events,
    allowInternal: true,
    handleBatch: (items, heartbeat) =>
      handler.handleBatch(
        items.map((item) => item.event),
        deps.customersConcurrently ?? 64,
        heartbeat,
      ),
    deadLetter: createDeadLetter({ producer, dlqTopic: topics.dlq, metrics: deps.metrics, logger }),
    logger,
    metrics: deps.metrics,
    partitionsConsumedConcurrently: deps.partitionsConsumedConcurrently ?? 6,
    ...(deps.consumerConfig ? { consumerConfig: deps.consumerConfig } : {}),
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
      await producer.disconnect();
      logger.info('orchestrator closed');
    },
  };
}
