// Durable waits at scale: with 100,000 timers pending in Redis, how late do the ones that come due fire?
// Fills a scratch namespace with --pending timers due in an hour and --due timers due a few seconds from
// now, runs the timer service, and measures for each due timer the delay from its due time to its
// timer.fired event being acknowledged by Kafka (the event's `time`).
//   npx tsx bench/timers.ts [--pending 100000] [--due 2000] [--shards 64]
import { createHash, randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { Partitioners, createKafkaClient, ensureTopics } from '@tactful/kafka';
import { parseEvent, topicsFor } from '@tactful/events';
import { createTimerService } from '@tactful/scheduler';
import type { Timer } from '@tactful/store-redis';
import { commitFrom, createRedisClient, createStore, deleteNamespace } from '@tactful/store-redis';

const { values } = parseArgs({
  options: {
    pending: { type: 'string', default: '100000' },
    due: { type: 'string', default: '2000' },
    shards: { type: 'string', default: '64' },
  },
});
const PENDING = Number(values.pending);
const DUE = Number(values.due);
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const redis = createRedisClient(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const namespace = `bench-timers-${randomBytes(4).toString('hex')}`;
const topics = topicsFor(namespace);
const kafka = createKafkaClient({ brokers, clientId: 'tactful-bench' });
const admin = kafka.admin();
const say = (line: string): void => console.error(`bench: ${line}`);

const timer = (customer: string, dueAt: number): Timer => ({
  id: `tmr-${createHash('md5').update(customer).digest('hex')}`,
  customerId: customer,
  journey: 'whitepaper-nurture',
  journeyVersion: 3,
  dueAt,
  payload: {
    kind: 'after',
    event: 'xstate.after.P3D.whitepaper-nurture.welcome',
    stage: 'welcome',
    delay: 'P3D',
  },
});

const store = createStore({ redis, namespace, shards: Number(values.shards) });
await admin.connect();
try {
  await ensureTopics(admin, [topics.events], 6);
  const far = Date.now() + 3_600_000;
  say(`scheduling ${PENDING} pending and ${DUE} due timers`);
  const seed = async (all: Timer[]): Promise<void> => {
    for (let i = 0; i < all.length; i += 1000) {
      await Promise.all(
        all.slice(i, i + 1000).map(async (t) =>
          store.commit(
            commitFrom(await store.load(t.customerId), {
              eventId: `seed-${t.id}`,
              state: {},
              timersAdd: [t],
            }),
          ),
        ),
      );
    }
  };
  await seed(Array.from({ length: PENDING }, (_, i) => timer(`waiting-${i}`, far)));
  // the due ones come due once everything is in place and the service has been polling for a while
  const dueAt = Date.now() + 5000;
  await seed(Array.from({ length: DUE }, (_, i) => timer(`due-${i}`, dueAt)));
  const backlog = await store.timerBacklog(Date.now());
  say(
    `${backlog.count} timers pending; the due ones come due in ${Math.round((dueAt - Date.now()) / 1000)} s`,
  );

  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true });
  await producer.connect();
  const service = createTimerService({
    store,
    producer,
    eventsTopic: topics.events,
    logger: pino({ level: 'silent' }),
  });
  service.start();
  const consumer = kafka.consumer({ groupId: `${namespace}.read` });
  await consumer.connect();
  await consumer.subscribe({ topic: topics.events, fromBeginning: true });
  const delays: number[] = [];
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        const parsed = parseEvent(message.value, message.key, { allowInternal: true });
        if (parsed.ok && parsed.event.type === 'timer.fired') {
          delays.push(Date.parse(parsed.event.time) - Date.parse(parsed.event.data.dueAt));
          if (delays.length === DUE) resolve();
        }
      },
    });
  });
  await service.stop();
  await consumer.disconnect();
  await producer.disconnect();
  delays.sort((a, b) => a - b);
  const at = (p: number) => delays[Math.min(delays.length - 1, Math.floor((p / 100) * delays.length))];
  const result = {
    pending: PENDING,
    due: DUE,
    shards: store.shards,
    firingDelayMs: { p50: at(50), p99: at(99), max: delays[delays.length - 1] },
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  await admin.deleteTopics({ topics: [topics.events] });
  await admin.disconnect();
  await deleteNamespace(redis, namespace);
  redis.disconnect();
}
