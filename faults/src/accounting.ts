import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import { topicsFor } from '@tactful/events';
import { eventually } from '../../packages/testing/src/poll';
import type { Fleet } from './fleet';
import { groupLag, readTopic, topicSize } from './topic-probe';

// Invariant 1 from the outside: every message of N.events was applied, dropped as a duplicate, or is in
// N.dlq with a reason. Dead letters are read from N.dlq. "Applied" is proven by the product's own
// deduplication: once the services are stopped, the orchestrator's group is moved back to the start of
// N.events and a fresh orchestrator reads the whole topic again. An event applied the first time comes
// back `duplicate`; one the first pass lost (its offset committed, its effect missing) would come back
// `applied`. The fresh process's `tactful_events_processed_total` says which.

export interface DeadLetter {
  readonly reason: string;
  readonly sourceTopic: string;
  readonly sourcePartition: number;
  readonly sourceOffset: string;
  /** The `x-fault-garbage` header a scenario put on a message it made invalid on purpose. */
  readonly garbage: string | undefined;
}

export interface EventAccount {
  /** Messages in N.events. */
  readonly events: number;
  /** Messages of N.events the first pass dead-lettered, each with a reason. */
  readonly deadLettered: number;
  /** Dead letters of N.events by reason. */
  readonly reasons: Readonly<Record<string, number>>;
  /** Dead letters of N.events made bad on purpose, by their `x-fault-garbage` kind, then by reason. */
  readonly garbage: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** What the second reading of N.events said of each message. */
  readonly replay: { readonly applied: number; readonly duplicate: number; readonly deadLettered: number };
  /** Messages neither found applied nor in N.dlq: must be 0. */
  readonly unaccounted: number;
  /** Dead letters of N.commands (the dispatcher's: `delivery_uncertain`, `smtp_rejected`, …) by reason. */
  readonly commandReasons: Readonly<Record<string, number>>;
  /** Every dead letter of the first pass, of N.events and N.commands. */
  readonly letters: readonly DeadLetter[];
}

const header = (message: KafkaMessage, name: string): string | undefined =>
  message.headers?.[name]?.toString();

export function deadLetterOf(message: KafkaMessage): DeadLetter {
  return {
    reason: header(message, 'tactful-error') ?? '(none)',
    sourceTopic: header(message, 'tactful-source-topic') ?? '(none)',
    sourcePartition: Number(header(message, 'tactful-source-partition')),
    sourceOffset: header(message, 'tactful-source-offset') ?? '(none)',
    garbage: header(message, 'x-fault-garbage'),
  };
}

/** `tactful_events_processed_total` of a Prometheus text page, summed over types, by outcome. */
export function processedByOutcome(page: string): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const line of page.split('\n')) {
    if (!line.startsWith('tactful_events_processed_total{')) continue;
    const outcome = /outcome="([^"]*)"/.exec(line)?.[1] ?? '(none)';
    totals[outcome] = (totals[outcome] ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return totals;
}

export interface AccountingDeps {
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly fleet: Fleet;
  readonly namespace: string;
  readonly timeoutMs: number;
}

/** Run once every process of the fleet is stopped. Leaves none running (the one it starts is SIGKILLed). */
export async function accountForEvents(deps: AccountingDeps): Promise<EventAccount> {
  const { admin, fleet, namespace } = deps;
  if (fleet.live().length > 0) throw new Error('account for the events once every process is stopped');
  const topics = topicsFor(namespace);
  const letters = (await readTopic(deps.kafka, admin, topics.dlq, `${namespace}.faults-dlq-reader`)).map(
    deadLetterOf,
  );
  // one entry per message of N.events, however many copies the DLQ holds
  const ofEvents = new Map(
    letters
      .filter((l) => l.sourceTopic === topics.events)
      .map((l) => [`${l.sourcePartition}/${l.sourceOffset}`, l]),
  );
  const reasons: Record<string, number> = {};
  const garbage: Record<string, Record<string, number>> = {};
  for (const { reason, garbage: kind } of ofEvents.values()) {
    reasons[reason] = (reasons[reason] ?? 0) + 1;
    if (kind === undefined) continue;
    const byReason = (garbage[kind] ??= {});
    byReason[reason] = (byReason[reason] ?? 0) + 1;
  }
  const commandReasons: Record<string, number> = {};
  for (const { reason } of letters.filter((l) => l.sourceTopic === topics.commands))
    commandReasons[reason] = (commandReasons[reason] ?? 0) + 1;
  const events = await topicSize(admin, topics.events);

  const group = `${namespace}.orchestrator`;
  await admin.resetOffsets({ groupId: group, topic: topics.events, earliest: true });
  const slot = await fleet.start(0, ['run', '--only', 'orchestrator']);
  try {
    await eventually(
      'the second reading of N.events',
      async () => ((await groupLag(admin, group, topics.events)) === 0 ? true : undefined),
      {
        timeoutMs: deps.timeoutMs,
        intervalMs: 500,
      },
    );
    const counts = await eventually(
      'the second reading counted',
      async () => {
        const page = await (await fetch(`${slot.url}/metrics`)).text();
        const byOutcome = processedByOutcome(page);
        const total = Object.values(byOutcome).reduce((a, b) => a + b, 0);
        return total >= events ? byOutcome : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    const replay = {
      applied: counts.applied ?? 0,
      duplicate: counts.duplicate ?? 0,
      deadLettered: counts.dead_lettered ?? 0,
    };
    return {
      events,
      deadLettered: ofEvents.size,
      reasons,
      garbage,
      commandReasons,
      replay,
      unaccounted: Math.max(0, events - replay.duplicate - ofEvents.size) + replay.applied,
      letters,
    };
  } finally {
    // SIGKILL, not SIGTERM: the count is taken, and a drain (each consumer waiting out its fetch) would
    // only add seconds to every scenario; what a SIGTERM does was checked on the fleet before this
    await fleet.kill(0);
  }
}
