import { afterEach, describe, expect } from 'vitest';
import type { AuditRecord, EmailSendCommand, TactfulEvent } from '@tactful/events';
import { createStore } from '@tactful/store-redis';
import { eventually, test, type KafkaFixture } from '@tactful/testing';
import type { Stack } from './stack';
import {
  collect,
  event,
  publish,
  shortJourneys,
  startTestStack,
  writePolicy,
  type Collector,
} from './test-stack';

// The ways one event reaches the orchestrator twice (README of @tactful/store-redis, "Duplicates"), each
// with the guard that stops it: the applied offset, the window of recent ids, and behind both the engine
// itself (a journey already active, a wait already fired) and the ledger.

/** Waits until the orchestrator has committed every offset of N.events. */
async function caughtUp(kafka: KafkaFixture, namespace: string): Promise<void> {
  await eventually(
    'the orchestrator caught up',
    async () => {
      const [ends, committed] = await Promise.all([
        kafka.admin.fetchTopicOffsets(kafka.topic('events')),
        kafka.admin.fetchOffsets({ groupId: `${namespace}.orchestrator`, topics: [kafka.topic('events')] }),
      ]);
      const done = new Map(committed[0]!.partitions.map((p) => [p.partition, Number(p.offset)]));
      return ends.every((p) => Number(p.high) === 0 || (done.get(p.partition) ?? -1) >= Number(p.high))
        ? true
        : undefined;
    },
    { timeoutMs: 30_000 },
  );
}

describe('an event delivered twice has one effect', () => {
  const collectors: Collector[] = [];
  let stack: Stack | undefined;
  afterEach(async () => {
    await Promise.all(collectors.splice(0).map((c) => c.stop()));
    await stack?.close();
    stack = undefined;
  });

  test('a producer retry, a duplicate after many newer events, a timer fired twice, then a whole rebalance redelivery', async ({
    kafka,
    servers,
    namespace,
    redis,
  }) => {
    const journeys = await shortJourneys('PT1S');
    const policy = await writePolicy();
    stack = await startTestStack({ servers, namespace, journeys, policy });
    const commands = await collect(kafka, kafka.topic('commands'), 'commands');
    const audit = await collect(kafka, kafka.topic('audit'), 'audit');
    const events = await collect(kafka, kafka.topic('events'), 'events');
    collectors.push(commands, audit, events);
    const commandsOf = (customer: string) =>
      commands
        .json<EmailSendCommand>()
        .filter((c) => c.customerId === customer)
        .map((c) => c.template)
        .sort();
    const entered = (customer: string) =>
      audit.json<AuditRecord>().filter((r) => r.customerId === customer && r.decision === 'entered').length;
    const views = (customer: string, n: number) =>
      Array.from({ length: n }, (_, i) =>
        event('page.viewed', customer, { url: `https://shop.example.com/${i}` }),
      );

    // a producer retry: the same event written again right behind the first, at a new offset
    const retried = event('form.submitted', 'pat', {
      formId: 'contact-us',
      email: 'p@example.com',
      fields: {},
    });
    await publish(kafka, [retried]);
    await publish(kafka, [retried]);
    // the same event again after 30 newer events of the person: beyond the window of recent ids
    const late = event('form.submitted', 'lou', { formId: 'contact-us', email: 'l@example.com', fields: {} });
    await publish(kafka, [late, ...views('lou', 30)]);
    await publish(kafka, [late]);
    // a wait that fires: the check-in comes once
    await publish(kafka, [
      event('form.submitted', 'tim', { formId: 'whitepaper-2026', email: 't@example.com' }),
    ]);
    const fired = await eventually(
      'the wait fired',
      () => events.json<TactfulEvent>().find((e) => e.subject === 'tim' && e.type === 'timer.fired'),
      { timeoutMs: 40_000 },
    );
    await eventually('the check-in', () => (commandsOf('tim').includes('wp-checkin') ? true : undefined));
    // the timer service crashed between producing and removing: the same timer.fired, twice more
    await publish(kafka, [fired]);
    await publish(kafka, [...views('tim', 12), fired]);
    await caughtUp(kafka, namespace);

    // each template once (the short waits may have sent the follow-ups too, once each)
    for (const customer of ['pat', 'lou', 'tim']) {
      expect(new Set(commandsOf(customer)).size, customer).toBe(commandsOf(customer).length);
      expect(entered(customer), customer).toBe(1);
    }
    expect(commandsOf('pat')).toContain('inquiry-answer');
    expect(commandsOf('lou')).toContain('inquiry-answer');
    expect(commandsOf('tim')).toEqual(['wp-checkin', 'wp-welcome']);
    // every wait of these journeys over (the short waits send follow-ups), so nothing new is due
    const store = createStore({ redis: redis.redis, namespace });
    await eventually(
      'no wait pending',
      async () => ((await store.timerBacklog()).count === 0 ? true : undefined),
      {
        timeoutMs: 30_000,
      },
    );
    await caughtUp(kafka, namespace);
    const sent = commands.messages.length;
    const decisions = audit.messages.length;

    // a rebalance redelivery, as large as it gets: the group's offsets back to the start of N.events
    await stack.close();
    await kafka.admin.resetOffsets({
      groupId: `${namespace}.orchestrator`,
      topic: kafka.topic('events'),
      earliest: true,
    });
    stack = await startTestStack({ servers, namespace, journeys, policy });
    await caughtUp(kafka, namespace);
    // every event was read again at its own offset and recognised: not one message more
    expect(commands.messages.length).toBe(sent);
    expect(audit.messages.length).toBe(decisions);
  }, 120_000);
});
