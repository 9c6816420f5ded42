// How soon a halt takes effect while the orchestrator is far behind (ARCHITECTURE.md, invariant 4): the time
// from a reply being acknowledged by Kafka to the halt sentinel's mark being in Redis, over many replies,
// on the real broker and Redis, in a scratch namespace that is deleted afterwards.
//   npx tsx bench/halt-latency.ts [--backlog 10000] [--trials 200] [--rate 2000] [--partitions 6]
// The orchestrator never runs, so every event is backlog for it. First `--backlog` events are written and
// the sentinel started (its catch-up over them is measured too); then, while a background load keeps
// writing `--rate` events/s to N.events, replies of fresh customers are written one at a time and Redis is
// polled until each one's mark is there. Reads KAFKA_BROKERS and REDIS_URL. Prints one JSON document.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Cluster, createStore, createRedisClient } from '@tactful/store-redis';
import {
  Partitioners,
  createKafkaClient,
  ensureTopics,
  hasReachedEnds,
  readCommittedOffsets,
  readLogEnds,
} from '@tactful/kafka';
import pino from 'pino';
import { buildCatalog } from '@tactful/engine';
import {
  consumerGroupsFor,
  encodeEvent,
  EXAMPLE_EVENTS,
  topicsFor,
  type TactfulEvent,
} from '@tactful/events';
import { loadJourneys, requireJourneys } from '@tactful/journeys';
import { createMetrics, createReadinessChecks } from '@tactful/observability';
import { startSentinel } from '@tactful/sentinel';

const { values } = parseArgs({
  options: {
    backlog: { type: 'string', default: '10000' },
    trials: { type: 'string', default: '200' },
    rate: { type: 'string', default: '2000' },
    partitions: { type: 'string', default: '6' },
    customers: { type: 'string', default: '2500' },
  },
});
const backlog = Number(values.backlog);
const trials = Number(values.trials);
const rate = Number(values.rate);
const partitions = Number(values.partitions);
const customers = Number(values.customers);
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const namespace = `bench-halt-${randomBytes(4).toString('hex')}`;
const topics = topicsFor(namespace);
const journeysDir = new URL('../journeys', import.meta.url).pathname;

// The traffic a halt has to overtake: what upstream systems send most, with a purchase now and then
// (itself halting, so the sentinel does real work in the backlog too).
const MIX = ['form.submitted', 'page.viewed', 'email.opened', 'email.clicked', 'email.sent'] as const;
let sequence = 0;
function backlogEvent(): TactfulEvent {
  sequence += 1;
  const type = sequence % 100 === 0 ? 'purchase.completed' : MIX[sequence % MIX.length]!;
  return {
    ...EXAMPLE_EVENTS[type],
    id: `${namespace}-${sequence}`,
    subject: `cust-${sequence % customers}`,
    time: new Date().toISOString(),
  };
}

function quantiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
  const round = (ms: number) => Math.round(ms * 100) / 100;
  const mean = sorted.reduce((sum, v) => sum + v, 0) / sorted.length;
  return {
    p50: round(at(0.5)),
    p90: round(at(0.9)),
    p99: round(at(0.99)),
    max: round(sorted.at(-1) ?? NaN),
    min: round(sorted[0] ?? NaN),
    mean: round(mean),
  };
}

/** The count and sum of `tactful_halt_mark_delay_seconds` so far. */
async function histogramTotals(): Promise<{ count: number; sum: number }> {
  const { values: points } = await metrics.haltMarkDelay.get();
  const total = (suffix: string) => points.find((v) => v.metricName?.endsWith(suffix))?.value ?? 0;
  return { count: total('_count'), sum: total('_sum') };
}

const kafka = createKafkaClient({ brokers, clientId: 'tactful-bench-halt' });
const admin = kafka.admin();
await admin.connect();
const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
await producer.connect();
const redis = createRedisClient(redisUrl);
const store = createStore({ redis, namespace });
const metrics = createMetrics({ defaultMetrics: false });
let sentinel: Awaited<ReturnType<typeof startSentinel>> | undefined;
try {
  await ensureTopics(admin, Object.values(topics), partitions);
  const send = (events: TactfulEvent[]) =>
    producer.send({ topic: topics.events, acks: -1, messages: events.map(encodeEvent) });
  for (let written = 0; written < backlog; written += 5000)
    await send(Array.from({ length: Math.min(5000, backlog - written) }, backlogEvent));

  const catalog = buildCatalog(requireJourneys(await loadJourneys(journeysDir)));
  const catchUpStart = performance.now();
  sentinel = await startSentinel({
    kafka,
    namespace,
    store,
    catalog,
    readiness: createReadinessChecks(),
    metrics,
    logger: pino({ level: process.env.LOG_LEVEL ?? 'silent' }),
  });
  const groupId = consumerGroupsFor(namespace).sentinel;
  for (;;) {
    const ends = await readLogEnds(admin, [topics.events]);
    if (hasReachedEnds(await readCommittedOffsets(admin, groupId, [topics.events]), ends)) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const catchUpMs = performance.now() - catchUpStart;

  // the sentinel's own histogram, from here on: the catch-up's marks were of events written long before
  const beforeTrials = await histogramTotals();

  // the load that keeps coming while the replies are measured, in small batches every 50 ms
  let loading = true;
  let loadWritten = 0;
  const load = (async () => {
    const perTick = Math.max(1, Math.round(rate / 20));
    while (loading) {
      const tick = performance.now();
      await send(Array.from({ length: perTick }, backlogEvent));
      loadWritten += perTick;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 50 - (performance.now() - tick))));
    }
  })();

  const fromAck: number[] = [];
  const fromSend: number[] = [];
  for (let i = 0; i < trials; i++) {
    const customer = `replier-${i}`;
    const reply: TactfulEvent = {
      ...EXAMPLE_EVENTS['email.replied'],
      id: `${namespace}-reply-${i}`,
      subject: customer,
      time: new Date().toISOString(),
    };
    const sendStart = performance.now();
    await send([reply]);
    const acked = performance.now();
    // one read in flight at a time, back to back: sub-millisecond resolution without flooding Redis
    while ((await store.getHalts(customer)).length === 0) {
      /* polling: the mark is what is being waited for */
    }
    const marked = performance.now();
    fromAck.push(Math.max(0, marked - acked));
    fromSend.push(marked - sendStart);
  }
  loading = false;
  await load;

  const after = await histogramTotals();
  const sentinelCount = after.count - beforeTrials.count;
  const sentinelSum = after.sum - beforeTrials.sum;
  const ends = await admin.fetchTopicOffsets(topics.events);
  console.log(
    JSON.stringify(
      {
        namespace,
        brokers,
        partitions,
        backlog: { events: backlog, customers },
        sentinelCatchUp: {
          events: backlog,
          ms: Math.round(catchUpMs),
          eventsPerSecond: Math.round(backlog / (catchUpMs / 1000)),
        },
        load: { eventsPerSecond: rate, eventsWrittenDuringTrials: loadWritten },
        eventsOnTopicAtEnd: ends.reduce((sum, p) => sum + Number(p.high), 0),
        orchestratorBehindBy: 'every event (it never ran)',
        trials,
        replyAckedToMarkInRedisMs: quantiles(fromAck),
        replySendStartToMarkInRedisMs: quantiles(fromSend),
        sentinelHistogram: {
          metric: 'tactful_halt_mark_delay_seconds during the trials (Kafka timestamp to mark written)',
          marks: sentinelCount,
          meanMs: sentinelCount > 0 ? Math.round((sentinelSum / sentinelCount) * 100_000) / 100 : null,
        },
      },
      null,
      2,
    ),
  );
} finally {
  await sentinel?.close();
  await producer.disconnect();
  await admin
    .deleteTopics({ topics: Object.values(topics) })
    .catch((err: unknown) => console.error(`could not delete ${namespace}'s topics:`, err));
  await admin.disconnect();
  // the scratch namespace's keys, on every master when REDIS_URL names a cluster
  for (const node of redis instanceof Cluster ? redis.nodes('master') : [redis]) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${namespace}:*`, 'COUNT', 1000);
      for (const key of keys) await node.del(key);
      cursor = next;
    } while (cursor !== '0');
  }
  await redis.quit();
}
