import type { Producer } from '@tactful/kafka';
import { chunks, TactfulError } from '@tactful/events';
import type { OutboxField, OutboxMessage, Store } from '@tactful/store-redis';

/** Well under the broker's default 1 MiB per record batch, whatever a sub-batch's outboxes add up to. */
export const RELAY_CHUNK_BYTES = 512 * 1024;
export const RELAY_CHUNK_MESSAGES = 2000;

export interface RelayDeps {
  readonly store: Pick<Store, 'ackOutbox'>;
}

/**
 * Produces committed outbox messages to Kafka (each to its topic, keyed by the customer, in order) and
 * then removes their outbox fields. The messages come from memory, the same text the commit stored; ids
 * are deterministic, so a message relayed twice (after a crash between the produce and the
 * acknowledgement) is recognised by its consumers.
 */
export function createRelay(deps: RelayDeps) {
  return async function relay(
    producer: Pick<Producer, 'sendBatch'>,
    messages: readonly OutboxMessage[],
    fields: readonly OutboxField[],
  ): Promise<void> {
    const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
    for (const m of messages) {
      const list = byTopic.get(m.topic) ?? [];
      list.push({
        key: m.key,
        value: m.value,
        headers: { 'content-type': 'application/json', 'tactful-outbox-id': m.id },
      });
      byTopic.set(m.topic, list);
    }
    try {
      // one produce per chunk: a sub-batch's messages together can exceed what the broker takes at once
      for (const [topic, list] of byTopic)
        for (const chunk of chunks(list, RELAY_CHUNK_MESSAGES, RELAY_CHUNK_BYTES))
          await producer.sendBatch({ acks: -1, topicMessages: [{ topic, messages: chunk }] });
    } catch (err) {
      throw TactfulError.retriable('kafka.unavailable', `relaying ${messages.length} outbox message(s)`, err);
    }
    await deps.store.ackOutbox(fields);
  };
}

export type Relay = ReturnType<typeof createRelay>;
