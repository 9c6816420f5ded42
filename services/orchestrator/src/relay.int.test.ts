import { Partitioners } from 'kafkajs';
import { expect } from 'vitest';
import type { AuditRecord, EmailSendCommand } from '@tactful/events';
import { createStore } from '@tactful/store-redis';
import { test } from '@tactful/testing';
import type { OutboxEntry } from './outbox';
import { createRelay } from './relay';

// Regression: a batch of thousands of customers relayed in one produce request was refused by the broker
// ("message larger than the max message size") on every retry, so the orchestrator never moved on.
test('an outbox larger than one produce request is relayed in several and acknowledged', async ({
  kafka,
  redis,
  namespace,
}) => {
  const [commands, audit] = await kafka.createTopics(['commands', 'audit'], 1);
  const store = createStore<OutboxEntry, AuditRecord>({ redis: redis.redis, namespace });
  const customers = Array.from({ length: 1500 }, (_, i) => `big-${i}`);
  const filler = 'x'.repeat(1200);
  await Promise.all(
    customers.map((customerId, i) => {
      const command = {
        id: `cmd-${i.toString(16).padStart(8, '0')}`,
        type: 'email.send',
        customerId,
        journey: 'j',
        journeyVersion: 1,
        stage: 's',
        template: 't',
        causationId: `evt-${i}`,
        createdAt: new Date().toISOString(),
        data: { filler },
      } as EmailSendCommand;
      return store.commit({
        customerId,
        expectedVersion: 0,
        eventId: `evt-${i}`,
        state: {},
        ledgerAdd: ['t'],
        timersAdd: [],
        timersCancel: [],
        outbox: [{ id: command.id, topic: 'commands', value: command }],
        audit: [],
      });
    }),
  );
  const producer = kafka.kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: true,
  });
  await producer.connect();
  try {
    const relay = createRelay({ store, producer, topics: { commands: commands!, audit: audit! } });
    // about 2 MB of commands: more than the broker takes in one request
    expect(await relay(customers)).toBe(customers.length);
    expect(await store.pendingOutbox('big-7')).toEqual([]);
    expect(await kafka.readMessages(commands!, customers.length, 30_000)).toHaveLength(customers.length);
  } finally {
    await producer.disconnect();
  }
});
