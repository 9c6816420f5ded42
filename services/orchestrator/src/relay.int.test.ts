import { Partitioners } from '@tactful/kafka';
import { expect } from 'vitest';
import type { EmailSendCommand } from '@tactful/events';
import { commitFrom, createStore } from '@tactful/store-redis';
import { test } from '@tactful/testing';
import { createRelay } from './relay';

// Regression: a batch of thousands of customers relayed in one produce request was refused by the broker
// ("message larger than the max message size") on every retry, so the orchestrator never moved on.
test('an outbox larger than one produce request is relayed in several and acknowledged', async ({
  kafka,
  redis,
  namespace,
}) => {
  const [commands] = await kafka.createTopics(['commands'], 1);
  const store = createStore({ redis: redis.redis, namespace });
  const customers = Array.from({ length: 1500 }, (_, i) => `big-${i}`);
  const filler = 'x'.repeat(1200);
  const loaded = await store.loadMany(customers);
  const { results } = await store.commitMany(
    loaded.map((customer, i) => {
      const command = {
        id: `cmd-${i.toString(16).padStart(8, '0')}`,
        type: 'email.send',
        customerId: customer.customerId,
        journey: 'j',
        journeyVersion: 1,
        stage: 's',
        template: 't',
        causationId: `evt-${i}`,
        createdAt: new Date().toISOString(),
        data: { filler },
      } as EmailSendCommand;
      return commitFrom(customer, {
        eventId: `evt-${i}`,
        state: {},
        ledgerAdd: ['t'],
        outbox: [
          { id: command.id, topic: commands!, key: customer.customerId, value: JSON.stringify(command) },
        ],
      });
    }),
    'p0',
  );
  expect(results.every((r) => r.status === 'committed')).toBe(true);
  const producer = kafka.kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: true,
  });
  await producer.connect();
  try {
    const relay = createRelay({ store });
    // what recovery does after a crash between the commit and the relay: read the outbox, relay, ack
    const pending = await store.pendingOutbox('p0');
    const messages = pending.flatMap((p) => p.messages);
    expect(messages).toHaveLength(customers.length);
    // about 2 MB of commands: more than the broker takes in one request
    await relay(producer, messages, pending);
    expect(await store.pendingOutbox('p0')).toEqual([]);
    expect(await kafka.readMessages(commands!, customers.length, 30_000)).toHaveLength(customers.length);
  } finally {
    await producer.disconnect();
  }
});
