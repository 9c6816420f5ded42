import { isTransientError, type MessageMeta, type RawMessage, type RawVerdict } from '@tactful/kafka';
import type { HaltMark, ParseResult, TactfulEvent } from '@tactful/events';
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

/** One message the screen let through, as the consumer loop hands it over: read, and where it came from. */
interface Candidate {
  readonly value: ParseResult;
  readonly meta: MessageMeta;
}

/**
 * The sentinel's two steps in the shared consumer loop. `screen`, the loop's raw-bytes hook, passes by
 * every message that cannot halt anything (`skipped`) before it is parsed. `handleBatch` writes the marks
 * of the halting ones of one fetched batch of one partition all at once (marks of different events are
 * independent and idempotent, so their order does not matter) and resolves once every mark is in Redis;
 * the loop commits the offsets only then, so a crash re-reads the batch and marking again changes nothing.
 * A transient error (Redis away) is thrown, so the batch is fetched again. Any other error fails that
 * message alone (`failed`, logged with the error) and the batch goes on: the sentinel only hastens a
 * halt, so a message it cannot mark still halts when the orchestrator applies it, or is dead-lettered by
 * the orchestrator, which owns the dead-letter path of N.events (the sentinel writing it too would put it
 * in N.dlq twice).
 */
export function createBatchHandler(deps: BatchHandlerDeps) {
  const logger = deps.logger.child({ component: 'halt-marker' });

  async function mark({ value: parsed, meta }: Candidate): Promise<SentinelOutcome> {
    // The same checks as the orchestrator's consumer: a mark is cleared only when the orchestrator
    // applies its event, so an event it would refuse must never be marked. A refused message is NOT
    // dead-lettered here: the orchestrator owns the dead-letter path of N.events and writes it there
    // once; the sentinel writing it too would put every invalid event in N.dlq twice.
    if (!parsed.ok) {
      logger.debug({ offset: meta.offset, reason: parsed.rejection.reason }, 'not a valid event; skipped');
      return 'invalid';
    }
    const { event } = parsed;
    const halt = deps.markFor(event);
    if (halt === undefined) return 'halts_nothing';
    // the position lets the orchestrator and the dispatcher tell a mark of an event already applied
    const added = await deps.store.markHalted(event.subject, {
      ...halt,
      position: { partition: meta.partition, offset: meta.offset },
    });
    if (!added) return 'already_marked';
    deps.metrics.haltsMarked.inc({ type: event.type });
    deps.metrics.haltMarkDelay.observe(Math.max(0, deps.now() - Number(meta.timestamp)) / 1000);
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

  async function markOrFail(candidate: Candidate): Promise<SentinelOutcome> {
    try {
      return await mark(candidate);
    } catch (err) {
      if (isTransientError(err)) throw err;
      logger.error(
        { offset: candidate.meta.offset, err },
        'could not handle a message; left to the orchestrator',
      );
      return 'failed';
    }
  }

  return {
    // The screen only saves work: should it ever throw, the loop reads the message in full instead.
    screen({ message }: RawMessage): RawVerdict {
      if (deps.screen(message.value)) return 'read';
      deps.metrics.sentinelMessages.inc({ outcome: 'skipped' });
      return 'skip';
    },
    async handleBatch(candidates: readonly Candidate[]): Promise<SentinelOutcome[]> {
      const outcomes = await Promise.all(candidates.map((candidate) => markOrFail(candidate)));
      for (const outcome of outcomes) deps.metrics.sentinelMessages.inc({ outcome });
      return outcomes;
    },
  };
}
