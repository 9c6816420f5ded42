import type { Producer } from 'kafkajs';
import { chunks, TactfulError, type Topics } from '@tactful/events';
import type { Store } from '@tactful/store-redis';
import type { AuditRecord } from '@tactful/events';
import type { OutboxEntry } from './outbox';

export interface RelayDeps {
  store: Pick<Store<OutboxEntry, AuditRecord>, 'pendingOutbox' | 'ackOutbox'>;
  producer: Pick<Producer, 'sendBatch'>;
  topics: Pick<Topics, 'commands' | 'audit'>;
}

/** Well under the broker's default 1 MiB per record batch, whatever a batch's outboxes add up to. */
export const RELAY_CHUNK_BYTES = 512 * 1024;
export const RELAY_CHUNK_MESSAGES = 2000;

type OutboxMessage = { key: string; value: string; headers: Record<string, string> };

/**
 * Sends customers' pending outboxes to Kafka (commands to `N.commands`, records to `N.audit`, keyed by the
 * customer) in one produce, and removes what Kafka acknowledged. Called after every commit and for every
 * duplicate, so a crash between a commit and its relay is repaired by the redelivered event; the ids are
 * deterministic, so a command relayed twice is recognised by its consumers.
 */
export function createRelay(deps: RelayDeps) {
  return async function relay(customerIds: readonly string[]): Promise<number> {
    const unique = [...new Set(customerIds)];
    const pending = await Promise.all(unique.map((c) => deps.store.pendingOutbox(c)));
    const byTopic = new Map<string, OutboxMessage[]>();
    unique.forEach((customerId, i) => {
      for (const entry of pending[i] ?? []) {
        const topic = deps.topics[entry.topic];
        const messages = byTopic.get(topic) ?? [];
        messages.push({
          key: customerId,
          value: JSON.stringify(entry.value),
          headers: { 'content-type': 'application/json', 'tactful-outbox-id': entry.id },
        });
        byTopic.set(topic, messages);
      }
    });
    if (byTopic.size === 0) return 0;
    try {
      // one produce per chunk: a batch's outboxes together can exceed what the broker takes in one request
      for (const [topic, messages] of byTopic)
        for (const chunk of chunks(messages, RELAY_CHUNK_MESSAGES, RELAY_CHUNK_BYTES))
          await deps.producer.sendBatch({ acks: -1, topicMessages: [{ topic, messages: chunk }] });
    } catch (err) {
      throw new TactfulError('kafka.unavailable', `relaying the outbox of ${unique.length} customer(s)`, {
        retriable: true,
        cause: err,
      });
    }
    const acked = await Promise.all(
      unique.map((c, i) => {
        const ids = (pending[i] ?? []).map((entry) => entry.id);
        return ids.length === 0 ? 0 : deps.store.ackOutbox(c, ids);
      }),
    );
    return acked.reduce((a, b) => a + b, 0);
  };
}
