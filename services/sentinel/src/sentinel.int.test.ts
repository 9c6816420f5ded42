import type { Admin, Message } from '@tactful/kafka';
import pino from 'pino';
import { afterEach, describe, expect } from 'vitest';
import { consumerGroupsFor, encodeEvent, EXAMPLE_EVENTS, type TactfulEvent } from '@tactful/events';
import { createMetrics, createReadinessChecks, type Metrics } from '@tactful/observability';
import { commitFrom, createStore } from '@tactful/store-redis';
import { eventually, test, type KafkaFixture, type RedisFixture } from '@tactful/testing';
import { startSentinel, type Sentinel } from './sentinel';
import { CATALOG, eventOf } from './test-kit';

// The halt sentinel on the real broker and Redis: which events mark whom, what it skips, and that reading
// the same events again changes nothing.
//
// The sentinel reads at least once: a consumer restart or a rebalance (a broker slowed by the rest of the
// suite, a coordinator answering late) re-reads every batch whose offsets were not committed yet, and
// counts it again. So counts of messages seen are lower bounds here; what each test names is checked on
// what the sentinel leaves behind (the marks in Redis, the dead-letter topic, the marks counter).

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const CONSUMER_CONFIG = {
  sessionTimeout: 10_000,
  heartbeatInterval: 500,
  maxWaitTimeInMs: 50,
  rebalanceTimeout: 10_000,
  retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 500 },
};

/** Whether `groupId` has committed the end of every partition of `topic`: it has read everything. */
async function caughtUp(admin: Admin, groupId: string, topic: string): Promise<true | undefined> {
  const ends = await admin.fetchTopicOffsets(topic);
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const done = ends.every((end) => {
    const offset = committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
    return end.high === '0' || offset === end.high;
  });
  return done ? true : undefined;
}

/** The count of one outcome of `tactful_sentinel_messages_total` in a metrics text, 0 when absent. */
function counted(text: string, outcome: string): number {
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`tactful_sentinel_messages_total{outcome="${outcome}"}`));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

describe('the halt sentinel', () => {
  const running: Sentinel[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.close()));
  });

  async function setup(kafka: KafkaFixture, redis: RedisFixture, namespace: string) {
    const [events, dlq] = await kafka.createTopics(['events', 'dlq'], 3);
    const store = createStore({ redis: redis.redis, namespace });
    const producer = await kafka.producer();
    const groupId = consumerGroupsFor(namespace).sentinel;
    const start = async (metrics: Metrics = createMetrics({ defaultMetrics: false })) => {
      const readiness = createReadinessChecks();
      const sentinel = await startSentinel({
        kafka: kafka.kafka,
        namespace,
        store,
        catalog: CATALOG,
        readiness,
        metrics,
        logger,
        consumerConfig: CONSUMER_CONFIG,
      });
      running.push(sentinel);
      return { sentinel, metrics, readiness };
    };
    const send = (messages: Message[]) => producer.send({ topic: events!, acks: -1, messages });
    const publish = (list: TactfulEvent[]) => send(list.map(encodeEvent));
    const allRead = () =>
      eventually('the sentinel read everything', () => caughtUp(kafka.admin, groupId, events!));
    return { store, start, send, publish, allRead, events: events!, dlq: dlq!, groupId };
  }

  test('marks a reply with the journeys that list it, an opt-out with optOut, a hard bounce with every journey', async ({
    kafka,
    redis,
    namespace,
  }) => {
    const { store, start, publish, allRead } = await setup(kafka, redis, namespace);
    const { sentinel, metrics, readiness } = await start();
    const reply = eventOf('email.replied', 'ann', { text: 'no thanks' });
    const optOut = eventOf('contact.opted_out', 'bob', { channel: 'email' });
    const bounce = eventOf('email.bounced', 'cho', { hard: true });
    const purchase = eventOf('purchase.completed', 'dan', {
      orderId: 'o-1',
      items: [{ sku: 'trip-lisbon' }],
    });
    await publish([reply, optOut, bounce, purchase]);
    // a fresh broker creates its offsets topic at the first group join, which on a loaded machine takes
    // longer than reading and marking four events: the join gets its own, longer wait
    await eventually('the sentinel a member of its group', () => sentinel.isReady() || undefined, {
      timeoutMs: 45_000,
    });

    const at = Date.parse('2026-11-23T10:00:00Z');
    // every mark carries where its event was read, so a mark of an applied event is known stale
    const position = { partition: expect.any(Number), offset: expect.stringMatching(/^\d+$/) };
    await eventually('the reply marked', async () => (await store.getHalts('ann'))[0]);
    expect(await store.getHalts('ann')).toEqual([
      { eventId: reply.id, type: 'email.replied', at, journeys: ['nurture', 'onboarding'], position },
    ]);
    await eventually('the opt-out marked', async () => (await store.getHalts('bob'))[0]);
    expect(await store.getHalts('bob')).toEqual([
      { eventId: optOut.id, type: 'contact.opted_out', at, optOut: true, position },
    ]);
    await eventually('the hard bounce marked', async () => (await store.getHalts('cho'))[0]);
    expect(await store.getHalts('cho')).toEqual([
      { eventId: bounce.id, type: 'email.bounced', at, position },
    ]);
    await eventually('the purchase marked', async () => (await store.getHalts('dan'))[0]);
    expect((await store.getHalts('dan'))[0]?.journeys).toEqual(['nurture', 'trip']);

    await eventually('the sentinel a member of its group', () => sentinel.isReady() || undefined);
    expect((await readiness.report()).checks['sentinel.consumer']?.ok).toBe(true);
    const text = await metrics.registry.metrics();
    expect(text).toContain('tactful_halts_marked_total{type="email.replied"} 1');
    expect(text).toContain('tactful_halts_marked_total{type="contact.opted_out"} 1');
    expect(text).toMatch(/tactful_halt_mark_delay_seconds_count 4/);
    await allRead();
  });

  test('a soft bounce and events that halt nothing leave no mark', async ({ kafka, redis, namespace }) => {
    const { store, start, publish, allRead } = await setup(kafka, redis, namespace);
    const { metrics } = await start();
    const quiet = [
      eventOf('email.bounced', 'eve', { hard: false }),
      eventOf('form.submitted', 'eve'),
      eventOf('page.viewed', 'eve'),
      eventOf('email.opened', 'eve'),
      eventOf('email.sent', 'eve'),
      eventOf('customer.status_changed', 'eve', { status: 'prospect' }),
      eventOf('contact.opted_in', 'eve'),
    ];
    await publish(quiet);
    await allRead();
    expect(await store.getHalts('eve')).toEqual([]);
    const text = await metrics.registry.metrics();
    expect(text).not.toContain('tactful_halts_marked_total{');
    // the soft bounce was parsed and halts nothing; the others never got past the screen
    expect(counted(text, 'halts_nothing')).toBeGreaterThanOrEqual(1);
    expect(counted(text, 'skipped')).toBeGreaterThanOrEqual(quiet.length - 1);
  });

  test('skips garbage without writing the dead-letter topic and keeps going', async ({
    kafka,
    redis,
    namespace,
  }) => {
    const { store, start, send, publish, allRead, dlq } = await setup(kafka, redis, namespace);
    const { sentinel, metrics } = await start();
    const reply = (subject: string) => ({
      ...EXAMPLE_EVENTS['email.replied'],
      id: `evt-${subject}`,
      subject,
    });
    const garbage: Message[] = [
      { key: 'gus', value: Buffer.from([0xc3, 0x28, 0xff]) },
      { key: 'gus', value: 'not json, but it says "email.replied"' },
      { key: 'gus', value: JSON.stringify({ ...reply('gus'), time: 'yesterday' }) },
      { key: 'gus', value: JSON.stringify({ ...reply('gus'), type: 'lead.scored' }) },
      { key: 'gus', value: JSON.stringify(reply('hal')) }, // the key is not the subject
      { key: null, value: JSON.stringify(reply('ivy')) },
      { key: 'gus', value: null },
      {
        key: 'gus',
        value: JSON.stringify(reply('gus')).replace(
          '"data":{',
          `"data":{"x":${'['.repeat(5000)}${']'.repeat(5000)},`,
        ),
      },
    ];
    await send(garbage);
    const after = eventOf('email.replied', 'gus');
    await publish([after]);

    await eventually('the reply after the garbage marked', async () => (await store.getHalts('gus'))[0]);
    await allRead();
    expect((await store.getHalts('gus')).map((m) => m.eventId)).toEqual([after.id]);
    expect(await store.getHalts('hal')).toEqual([]);
    expect(await store.getHalts('ivy')).toEqual([]);
    const dlqEnds = await kafka.admin.fetchTopicOffsets(dlq);
    expect(dlqEnds.map((p) => p.high)).toEqual(['0', '0', '0']);
    await eventually('the sentinel a member of its group', () => sentinel.isReady() || undefined);
    const text = await metrics.registry.metrics();
    // the schema violation, the key mismatch, the missing key and the nesting past the depth limit were
    // parsed and refused; the rest never got past the screen
    expect(counted(text, 'invalid')).toBeGreaterThanOrEqual(4);
    expect(counted(text, 'skipped')).toBeGreaterThanOrEqual(4);
    expect(text).not.toContain('outcome="failed"');
  });

  test('a message whose mark fails for a reason of its own is counted failed and the others are marked', async ({
    kafka,
    redis,
    namespace,
  }) => {
    const { publish, allRead } = await setup(kafka, redis, namespace);
    const real = createStore({ redis: redis.redis, namespace });
    // the real store, failing for one customer the way a bug would (not a retriable Redis error)
    const store = {
      markHalted: (customerId: string, mark: Parameters<typeof real.markHalted>[1]) =>
        customerId === 'poison'
          ? Promise.reject(new RangeError('Maximum call stack size exceeded'))
          : real.markHalted(customerId, mark),
    };
    const metrics = createMetrics({ defaultMetrics: false });
    const sentinel = await startSentinel({
      kafka: kafka.kafka,
      namespace,
      store,
      catalog: CATALOG,
      readiness: createReadinessChecks(),
      metrics,
      logger,
      consumerConfig: CONSUMER_CONFIG,
    });
    running.push(sentinel);
    const events = ['ann', 'poison', 'bob'].map((c) => eventOf('email.replied', c));
    await publish(events);
    await allRead();
    expect((await real.getHalts('ann')).map((m) => m.eventId)).toEqual([events[0]!.id]);
    expect((await real.getHalts('bob')).map((m) => m.eventId)).toEqual([events[2]!.id]);
    expect(await real.getHalts('poison')).toEqual([]);
    expect(counted(await metrics.registry.metrics(), 'failed')).toBeGreaterThanOrEqual(1);
    await eventually('the sentinel a member of its group', () => sentinel.isReady() || undefined);
  });

  test('restarted and reading every event again, it adds no second mark', async ({
    kafka,
    redis,
    namespace,
  }) => {
    const { store, start, publish, allRead, groupId } = await setup(kafka, redis, namespace);
    const first = await start();
    await publish([
      eventOf('email.replied', 'jo'),
      eventOf('contact.opted_out', 'jo'),
      eventOf('email.bounced', 'kim', { hard: true }),
    ]);
    await allRead();
    const before = { jo: await store.getHalts('jo'), kim: await store.getHalts('kim') };
    expect(before.jo).toHaveLength(2);
    expect(before.kim).toHaveLength(1);

    await first.sentinel.close();
    // as if it crashed before committing anything: the group's offsets are gone, so the whole topic is
    // read again. Deleted with an admin request: kafkajs's resetOffsets joins the group as a member for a
    // fetch (about 5 s) and leaves it, and a restarted sentinel meeting that member rebalances.
    await eventually('the group deleted', async () => {
      await kafka.admin.deleteGroups([groupId]);
      return true;
    });
    const second = await start();
    await allRead();
    expect(await store.getHalts('jo')).toEqual(before.jo);
    expect(await store.getHalts('kim')).toEqual(before.kim);
    const text = await second.metrics.registry.metrics();
    // it read the three halting events again (more if a batch was read twice) and marked none anew
    expect(counted(text, 'already_marked')).toBeGreaterThanOrEqual(3);
    expect(text).not.toContain('tactful_halts_marked_total{');
  });

  test('an event the orchestrator already applied is not marked (the sentinel lagged behind it)', async ({
    kafka,
    redis,
    namespace,
  }) => {
    const { store, start, publish, allRead } = await setup(kafka, redis, namespace);
    const applied = eventOf('email.replied', 'lee');
    const result = await store.commit(
      commitFrom(await store.load('lee'), { eventId: applied.id, state: {} }),
    );
    expect(result.status).toBe('committed');
    await start();
    await publish([applied]);
    await allRead();
    expect(await store.getHalts('lee')).toEqual([]);
  });
});
