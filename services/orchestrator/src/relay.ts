import type { Producer } from 'kafkajs';
import { TactfulError, type Topics } from '@tactful/events';
import type { Store } from '@tactful/store-redis';
import type { AuditRecord } from '@tactful/events';
import type { OutboxEntry } from './outbox';

export interface RelayDeps {
  store: Pick<Store<OutboxEntry, AuditRecord>, 'pendingOutbox' | 'ackOutbox'>;
  producer: Producer;
  topics: Pick<Topics, 'commands' | 'audit'>;
}

/**
 * Sends a customer's pending outbox to Kafka (commands to `N.commands`, records to `N.audit`, keyed by the
 * customer) and removes what Kafka acknowledged. Called after every commit and for every duplicate, so a
 * crash between the commit and the relay is repaired by the redelivered event; the ids are deterministic,
 * so a command relayed twice is recognised by its consumers.
 */
export function createRelay(deps: RelayDeps) {
  return async function relay(customerId: string): Promise<number> {
    const pending = await deps.store.pendingOutbox(customerId);
    if (pending.length === 0) return 0;
    const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
    for (const entry of pending) {
      const topic = deps.topics[entry.topic];
      const messages = byTopic.get(topic) ?? [];
      messages.push({
        key: customerId,
        value: JSON.stringify(entry.value),
        headers: { 'content-type': 'application/json', 'tactful-outbox-id': entry.id },
      });
      byTopic.set(topic, messages);
    }
    try {
      await deps.producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    } catch (err) {
      throw new TactfulError('kafka.unavailable', `relaying the outbox of ${customerId}`, {
        retriable: true,
        cause: err,
      });
    }
    await deps.store.ackOutbox(
      customerId,
      pending.map((entry) => entry.id),
    );
    return pending.length;
  };
}
