import { type KafkaMessage, isTransientError } from '@tactful/kafka';
import { parseEvent, type HaltMark, type TactfulEvent } from '@tactful/events';
import type { Logger, TactfulMetrics } from '@tactful/observability';
import type { Store } from '@tactful/store-redis';
import type { MessageScreen } from './screen';

/** What became of one message, the `outcome` label of `tactful_sentinel_messages_total`. */
export type SentinelOutcome =
  'skipped' | 'invalid' | 'halts_nothing' | 'marked' | 'already_marked' | 'failed';

export interface BatchHandlerDeps {
  readonly screen: MessageScreen;
  /** The mark a valid halting event puts on its customer (see `haltMarkFor`), undefined when none. */
  readonly markFor: (event: TactfulEvent) => HaltMark | undefined;
  readonly store: Pick<Store, 'markHalted'>;
  readonly metrics: Pick<TactfulMetrics, 'haltsMarked' | 'haltMarkDelay' | 'sentinelMessages'>;
  readonly logger: Logger;
  /** Epoch ms, for the delay between a message's Kafka timestamp and its mark. */
  readonly now: () => number;
}

/**
 * Handles the messages of one fetched batch of one partition: screens every message, and writes the marks
 * of the halting ones all at once (marks of different events are independent and idempotent, so their
 * order does not matter). Resolves once every mark is in Redis; the caller commits the offsets only
 * then, so a crash re-reads the batch and marking again changes nothing. A transient error (Redis away)
 * is thrown, so kafkajs fetches the batch again. Any other error fails that message alone (`failed`,
 * logged with the error) and the batch goes on: the sentinel only hastens a halt, so a message it cannot
 * mark still halts when the orchestrator applies it, or is dead-lettered by the orchestrator, which owns
 * the dead-letter path of N.events (the sentinel writing it too would put it in N.dlq twice).
 */
export function createBatchHandler(deps: BatchHandlerDeps) {
  const logger = deps.logger.child({ component: 'halt-marker' });

  async function mark(message: KafkaMessage, partition: number): Promise<SentinelOutcome> {
    // The same checks as the orchestrator's consumer: a mark is cleared only when the orchestrator
    // applies its event, so an event it would refuse must never be marked. A refused message is NOT
    // dead-lettered here: the orchestrator owns the dead-letter path of N.events and writes it there
    // once; the sentinel writing it too would put every invalid event in N.dlq twice.
    const parsed = parseEvent(message.value, message.key);
    if (!parsed.ok) {
      logger.debug({ offset: message.offset, reason: parsed.rejection.reason }, 'not a valid event; skipped');
      return 'invalid';
    }
    const { event } = parsed;
    const halt = deps.markFor(event);
    if (halt === undefined) return 'halts_nothing';
    // the position lets the orchestrator and the dispatcher tell a mark of an event already applied
    const added = await deps.store.markHalted(event.subject, {
      ...halt,
      position: { partition, offset: message.offset },
    });
    if (!added) return 'already_marked';
    deps.metrics.haltsMarked.inc({ type: event.type });
    deps.metrics.haltMarkDelay.observe(Math.max(0, deps.now() - Number(message.timestamp)) / 1000);
    logger.info(
      {
        customerId: event.subject,
        eventId: event.id,
        type: event.type,
        journeys: halt.journeys,
        optOut: halt.optOut,
        topics: halt.topics,
      },
      'customer marked halted',
    );
    return 'marked';
  }

  // The screen only saves work: should it ever throw, the full parse decides instead.
  function screenOrFail(message: KafkaMessage): boolean {
    try {
      return deps.screen(message.value);
    } catch (err) {
      logger.error({ offset: message.offset, err }, 'the screen threw; parsing the message in full');
      return true;
    }
  }

  async function markOrFail(message: KafkaMessage, partition: number): Promise<SentinelOutcome> {
    try {
      return await mark(message, partition);
    } catch (err) {
      if (isTransientError(err)) throw err;
      logger.error({ offset: message.offset, err }, 'could not handle a message; left to the orchestrator');
      return 'failed';
    }
  }

  return async function handleBatch(messages: readonly KafkaMessage[], partition: number): Promise<void> {
    const candidates = messages.filter((message) => screenOrFail(message));
    const skipped = messages.length - candidates.length;
    if (skipped > 0) deps.metrics.sentinelMessages.inc({ outcome: 'skipped' }, skipped);
    if (candidates.length === 0) return;
    const outcomes = await Promise.all(candidates.map((message) => markOrFail(message, partition)));
    for (const outcome of outcomes) deps.metrics.sentinelMessages.inc({ outcome });
  };
}
