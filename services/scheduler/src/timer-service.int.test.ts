import { createHash } from 'node:crypto';
import { Redis, commitFrom, createStore, type Timer } from '@tactful/store-redis';
import pino from 'pino';
import { describe, expect } from 'vitest';
import { fromScheduler, parseEvent } from '@tactful/events';
import { eventually, test } from '@tactful/testing';
import { createTimerService } from './timer-service';

const logger = pino({ level: 'silent' });

/** Timer ids as the engine makes them: `tmr-` and 32 hex digits. */
const tid = (name: string): string => `tmr-${createHash('md5').update(name).digest('hex')}`;

function timer(customerId: string, id: string, dueAt: number): Timer {
  return {
    id,
    customerId,
    journey: 'whitepaper-nurture',
    journeyVersion: 3,
    dueAt,
    payload: {
      kind: 'after',
      stage: 'welcome',
      delay: 'PT1S',
      event: 'xstate.after.PT1S.whitepaper-nurture.welcome',
    },
  };
}

async function scheduleTimers(store: ReturnType<typeof createStore>, timers: Timer[]): Promise<void> {
  for (const t of timers) {
    const loaded = await store.load(t.customerId);
    const result = await store.commit(
      commitFrom(loaded, { eventId: `evt-${t.id}`, state: { n: loaded.version + 1 }, timersAdd: [t] }),
    );
    expect(result.status).toBe('committed');
  }
}

describe('the timer service', () => {
  test('due timers become timer.fired events keyed by the customer, once, and leave the store', async ({
    kafka,
    redis,
    namespace,
  }) => {
    const [events] = await kafka.createTopics(['events'], 3);
    const store = createStore({ redis: redis.redis, namespace, shards: 8 });
    const now = Date.now();
    const due = [
      timer('cust-1', tid('a'), now - 1000),
      timer('cust-2', tid('b'), now - 10),
      timer('cust-3', tid('c'), now),
    ];
    const later = timer('cust-4', tid('later'), now + 3_600_000);
    await scheduleTimers(store, [...due, later]);

    const producer = await kafka.producer();
    const service = createTimerService({ store, producer, eventsTopic: events!, logger, now: () => now });
    expect(await service.tick()).toBe(3);
    // a second pass finds nothing: the fired timers were removed after Kafka acknowledged them
    expect(await service.tick()).toBe(0);

    const messages = await kafka.readMessages(events!, 3);
    const parsed = messages.map((m) => parseEvent(m.value, m.key, { allowInternal: true }));
    const fired = parsed.map((p) => {
      if (!p.ok) throw new Error(p.rejection.message);
      return p.event;
    });
    expect(fired.map((e) => [e.subject, e.id, e.type]).sort()).toEqual([
      ['cust-1', tid('a'), 'timer.fired'],
      ['cust-2', tid('b'), 'timer.fired'],
      ['cust-3', tid('c'), 'timer.fired'],
    ]);
    expect(messages.every((m, i) => m.key?.toString() === fired[i]!.subject)).toBe(true);
    // the mark without which the orchestrator refuses a timer.fired
    expect(messages.every((m) => fromScheduler(m.headers))).toBe(true);
    expect((await store.timersOf('cust-4')).map((t) => t.id)).toEqual([tid('later')]);
  });

  test('pending timers survive a restart of the timer service and of its Redis connection', async ({
    kafka,
    redis,
    namespace,
  }) => {
    const [events] = await kafka.createTopics(['events'], 1);
    const store = createStore({ redis: redis.redis, namespace, shards: 4 });
    const dueAt = Date.now() + 1500;
    await scheduleTimers(store, [timer('cust-r', tid('restart'), dueAt)]);

    // the first service instance runs and stops before the timer is due
    const producer = await kafka.producer();
    const first = createTimerService(
      { store, producer, eventsTopic: events!, logger },
      { pollIntervalMs: 50, batchPerShard: 100 },
    );
    first.start();
    await first.stop();

    // a new process: new Redis connection, new store, new service
    const connection = new Redis(redis.url);
    try {
      const restarted = createStore({ redis: connection, namespace, shards: 4 });
      const second = createTimerService(
        { store: restarted, producer, eventsTopic: events!, logger },
        { pollIntervalMs: 50, batchPerShard: 100 },
      );
      second.start();
      const [message] = await kafka.readMessages(events!, 1, 15_000);
      await second.stop();
      const parsed = parseEvent(message!.value, message!.key, { allowInternal: true });
      expect(parsed.ok && parsed.event.id).toBe(tid('restart'));
      const firedAt = parsed.ok ? Date.parse(parsed.event.time) : NaN;
      expect(firedAt).toBeGreaterThanOrEqual(dueAt);
      // its index entry goes once fired; the record keeps the timer until its event is applied
      await eventually('the fired timer to leave the index', async () =>
        (await restarted.timerBacklog()).count === 0 ? true : undefined,
      );
    } finally {
      connection.disconnect();
    }
  });

  test('a timer is not removed when Kafka refuses the event, and fires on the next pass', async ({
    kafka,
    redis,
    namespace,
  }) => {
    const [events] = await kafka.createTopics(['events'], 1);
    const store = createStore({ redis: redis.redis, namespace, shards: 2 });
    await scheduleTimers(store, [timer('cust-k', tid('kafka'), Date.now() - 1)]);
    const producer = await kafka.producer();
    const missingTopic = createTimerService({ store, producer, eventsTopic: `${events!}-missing`, logger });
    await expect(missingTopic.tick()).rejects.toThrow();
    expect((await store.timersOf('cust-k')).map((t) => t.id)).toEqual([tid('kafka')]);

    const service = createTimerService({ store, producer, eventsTopic: events!, logger });
    expect(await service.tick()).toBe(1);
    expect((await kafka.readMessages(events!, 1)).map((m) => m.key?.toString())).toEqual(['cust-k']);
  });
});
