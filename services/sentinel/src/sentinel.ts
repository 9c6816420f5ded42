import { type ConsumerConfig, type Kafka, runMessageConsumer } from '@tactful/kafka';
import type { JourneyCatalog } from '@tactful/engine';
import { consumerGroupsFor, parseEvent, topicsFor } from '@tactful/events';
import type { Logger, ReadinessChecks, TactfulMetrics } from '@tactful/observability';
import type { Store } from '@tactful/store-redis';
import { createBatchHandler } from './batch-handler';
import { haltMarkFor } from './halt-mark-for';
import { haltingTypes } from './halting-types';
import { createScreen } from './screen';

export interface SentinelDeps {
  readonly kafka: Kafka;
  readonly namespace: string;
  readonly store: Pick<Store, 'markHalted'>;
  /**
   * The loaded journeys, to know which journeys a reply or a purchase halts (`haltOn`, `products`).
   * Without it a reply or a purchase marks every journey.
   */
  readonly catalog?: JourneyCatalog;
  readonly readiness: ReadinessChecks;
  readonly metrics: Pick<TactfulMetrics, 'haltsMarked' | 'haltMarkDelay' | 'sentinelMessages'>;
  readonly logger: Logger;
  /** Epoch ms; tests and benchmarks may pass their own. */
  readonly now?: () => number;
  /** Partitions handled at once. Default 6. */
  readonly partitionsConsumedConcurrently?: number;
  /** kafkajs consumer timings (session, heartbeats, fetch wait) and retries; tests shrink them. */
  readonly consumerConfig?: Omit<ConsumerConfig, 'groupId'>;
}

export interface Sentinel {
  /** For a readiness check: running and a member of its consumer group. */
  isReady(): boolean;
  /** Resolves when the consumer stops for good: with the error that stopped it, or undefined after close. */
  readonly stopped: Promise<Error | undefined>;
  /** Finishes the batch in hand (its marks), commits its offsets, leaves the group. */
  close(): Promise<void>;
}

/**
 * The halt sentinel: consumes `N.events` in its own group (`N.sentinel`) and, for each halting event,
 * marks the customer in Redis at once, so that the orchestrator and the dispatcher, which read the marks
 * before every decision and send, stop the halted journeys while the orchestrator is still far behind.
 *
 * It keeps no backlog of its own: most messages are skipped after a look at their bytes (see screen.ts,
 * the raw-bytes hook of the shared consumer loop), batches are handled whole, and partitions in parallel. Offsets are committed only after the batch's
 * marks are in Redis; marking is idempotent per event id, so a crash or a rebalance that re-reads a
 * batch changes nothing. A store error is retried (kafkajs fetches the batch again); an error marked
 * `retriable: false` stops the consumer and `stopped` resolves with it.
 */
export async function startSentinel(deps: SentinelDeps): Promise<Sentinel> {
  const groupId = consumerGroupsFor(deps.namespace).sentinel;
  const topic = topicsFor(deps.namespace).events;
  const { catalog } = deps;
  const handler = createBatchHandler({
    screen: createScreen(haltingTypes(catalog)),
    markFor: (event) => haltMarkFor(event, catalog),
    store: deps.store,
    metrics: deps.metrics,
    logger: deps.logger,
    now: deps.now ?? Date.now,
  });
  const lifecycle = await runMessageConsumer({
    kafka: deps.kafka,
    groupId,
    topic,
    component: 'sentinel',
    // From the beginning when the group is new: a halting event still ahead of the orchestrator must be
    // marked, and one it already applied is refused by `markHalted`, so reading old events is only work.
    fromBeginning: true,
    screen: handler.screen,
    // Never a rejection: an invalid event is the orchestrator's to dead-letter (it owns N.events' DLQ
    // path), so the sentinel counts it `invalid` and passes it by, and needs no dead-letter path itself.
    parse: (value, key) => ({ ok: true, value: parseEvent(value, key), type: 'event' }),
    handleBatch: (items) => handler.handleBatch(items),
    partitionsConsumedConcurrently: deps.partitionsConsumedConcurrently ?? 6,
    logger: deps.logger,
    ...(deps.consumerConfig ? { consumerConfig: deps.consumerConfig } : {}),
  });

  const removeCheck = deps.readiness.add('sentinel.consumer', async () => ({
    ok: lifecycle.isReady(),
    detail: lifecycle.isReady() ? 'member of its group' : 'not (yet) a member of its consumer group',
  }));
  return {
    isReady: lifecycle.isReady,
    stopped: lifecycle.stopped,
    async close() {
      removeCheck();
      await lifecycle.stop();
    },
  };
}
