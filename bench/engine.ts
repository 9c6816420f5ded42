// npm run bench: what the orchestrator sustains end to end on the real broker, next to the two limits it
// sits between, measured in one run on one broker (README.md, "Benchmark"):
//   - compute:    step() alone, in memory, no I/O (and bench/step.ts: step() on compiled journeys, step()
//                 through XState, XState's transition() alone);
//   - transport:  a bare kafkajs consumer reading the same events (no parsing, no state);
//   - end to end: `tactful run --only orchestrator` as a child process works through a backlog, from its
//     /readyz to the last command on N.commands, with the CPU of the orchestrator and of redis-server
//     per event (from /proc), and Redis bytes per customer after it (INFO memory, MEMORY USAGE);
//   - latency:    event produced → command produced at a steady rate;
//   - growth:     Redis bytes per customer after 1 event and after 50 events each.
// Every backlog event is a first contact-us form of a new customer, so each one decides exactly one send.
//   npx tsx bench/engine.ts [--events 100000] [--rate 2000] [--latency-seconds 15] [--growth-customers 1000]
//     [--partitions 6] [--shared-redis] [--step-customers 5000] [--step-rounds 5]
// Reads KAFKA_BROKERS like the services; Redis is a private redis-server unless --shared-redis (then
// REDIS_URL, and the Redis figures include whatever else runs there). Writes bench/results/engine-<time>.json.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type Redis, createStore, deleteNamespace, createRedisClient } from '@tactful/store-redis';
import {
  Partitioners,
  type Admin,
  createKafkaClient,
  ensureTopics,
  hasReachedEnds,
  readGroupPosition,
} from '@tactful/kafka';
import { buildCatalog, emptyCustomerState, step, type CustomerState } from '@tactful/engine';
import { encodeEvent, parseEvent, topicsFor, type TactfulEvent } from '@tactful/events';
import { loadJourneys } from '@tactful/journeys';
import { parsePolicyOrThrow } from '@tactful/policy';
import { writePolicy } from '../services/cli/src/run/test-stack';
import { bareConsumer } from './bare-consumer';
import { follower, inquiry } from './engine-events';
import * as support from './engine-support';
import { bytesPerCustomer } from './redis-bytes';
import { benchStep, stepTable } from './step';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '100000' },
    rate: { type: 'string', default: '2000' },
    'latency-seconds': { type: 'string', default: '15' },
    'growth-customers': { type: 'string', default: '1000' },
    'step-customers': { type: 'string', default: '5000' },
    'step-rounds': { type: 'string', default: '5' },
    partitions: { type: 'string', default: '6' },
    'shared-redis': { type: 'boolean', default: false },
  },
});
const N = Number(values.events);
const RATE = Number(values.rate);
const LATENCY_N = RATE * Number(values['latency-seconds']);
const GROWTH = Number(values['growth-customers']);
const PARTITIONS = Number(values.partitions);
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const namespace = `bench-${randomBytes(4).toString('hex')}`;
const topics = topicsFor(namespace);
const kafka = createKafkaClient({ brokers, clientId: 'tactful-bench' });
const journeysDir = path.join(root, 'journeys');
const say = (line: string): void => console.error(`bench: ${line}`);
const DEADLINE_MS = 30 * 60_000;
setTimeout(() => {
  console.error(`bench: gave up after ${DEADLINE_MS / 60_000} minutes (is Kafka or Redis answering?)`);
  process.exit(1);
}, DEADLINE_MS).unref();

const RELAXED = `frequency: { maxPerDay: 50, maxPerWeek: 100, minGap: PT0S }
quietHours: { start: "00:00", end: "00:00", defaultTimezone: UTC }
blastGuard: { maxPerHour: 40 }
`;

async function produce(events: TactfulEvent[]): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true });
  await producer.connect();
  for (let i = 0; i < events.length; i += 2000)
    await producer.send({
      topic: topics.events,
      acks: -1,
      messages: events.slice(i, i + 2000).map(encodeEvent),
    });
  await producer.disconnect();
}

/** step() alone: events per second (wall clock) and CPU microseconds per event. */
async function computeOnly(events: TactfulEvent[]): Promise<{ rate: number; cpuMicros: number }> {
  const ctx = {
    catalog: buildCatalog((await loadJourneys(journeysDir)).journeys),
    policy: parsePolicyOrThrow(RELAXED, 'bench-policy.yaml'),
  };
  const states = new Map<string, CustomerState>();
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (const event of events) {
    // the same parsing the consumer does, then the step
    const parsed = parseEvent(JSON.stringify(event), event.subject, { allowInternal: true });
    if (!parsed.ok) throw new Error(parsed.rejection.message);
    const state = states.get(event.subject) ?? emptyCustomerState(event.subject);
    states.set(event.subject, step(state, parsed.event, new Date(), ctx).state);
  }
  const rate = events.length / (Number(process.hrtime.bigint() - started) / 1e9);
  const used = process.cpuUsage(cpu);
  return { rate, cpuMicros: (used.user + used.system) / events.length };
}

/** Waits until the orchestrator group has committed every offset of N.events. */
async function caughtUp(admin: Admin): Promise<void> {
  for (;;) {
    const { committed, ends } = await readGroupPosition(admin, `${namespace}.orchestrator`, [topics.events]);
    if (hasReachedEnds(committed, ends)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const admin = kafka.admin();
await admin.connect();
const own = values['shared-redis'] ? undefined : await support.startOwnRedis();
const redisUrl = own?.url ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
// the measurements read one node: the bench's own, or the first of REDIS_URL
const redis = own?.client ?? (createRedisClient(redisUrl.split(',')[0]!) as Redis);
const usedMemory = async (): Promise<number> =>
  Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1]);
const store = createStore({ redis, namespace });
const redisCpu = async (): Promise<number> => {
  if (own) return support.processCpuMicros(own.pid);
  const info = await redis.info('cpu');
  const sum = ['used_cpu_sys', 'used_cpu_user'].map((f) =>
    Number(new RegExp(`${f}:([\\d.]+)`).exec(info)?.[1]),
  );
  return (sum[0]! + sum[1]!) * 1e6;
};
let orchestrator: support.Orchestrator | undefined;
await ensureTopics(admin, Object.values(topics), PARTITIONS);
const watcher = await support.watchCommands(kafka, topics.commands, `${namespace}.watch`);
try {
  const backlog = Array.from({ length: N }, (_, i) => inquiry(i, 'tp'));
  say(`compute limit: step() on ${Math.min(N, 20_000)} events in memory`);
  const compute = await computeOnly(backlog.slice(0, 20_000));
  say('step() on compiled journeys, through XState, and XState transition() alone');
  const stepBench = await benchStep((await loadJourneys(journeysDir)).journeys, {
    customers: Number(values['step-customers']),
    rounds: Number(values['step-rounds']),
  });
  say(`producing a backlog of ${N} events`);
  await produce(backlog);
  say('transport limit: a bare kafkajs consumer');
  const bareRate = await bareConsumer(kafka, topics.events, N, {
    groupId: `${namespace}.bare-${randomBytes(3).toString('hex')}`,
    partitions: PARTITIONS,
  });

  say(`end to end: the orchestrator works through the backlog (Redis: ${own ? 'private' : redisUrl})`);
  const memoryBefore = await usedMemory();
  orchestrator = await support.startOrchestrator(root, {
    KAFKA_BROKERS: brokers.join(','),
    REDIS_URL: redisUrl,
    TACTFUL_NAMESPACE: namespace,
    TACTFUL_JOURNEYS: journeysDir,
    TACTFUL_POLICY: await writePolicy(RELAXED),
    TACTFUL_TOPIC_PARTITIONS: String(PARTITIONS),
  });
  const readyAt = await orchestrator.ready();
  const cpuStart = { orchestrator: support.processCpuMicros(orchestrator.pid), redis: await redisCpu() };
  await support.untilCommands(
    watcher.times,
    backlog.map((e) => e.id),
    say,
  );
  const cpuEnd = { orchestrator: support.processCpuMicros(orchestrator.pid), redis: await redisCpu() };
  const lastCommand = Math.max(...backlog.map((e) => watcher.times.get(e.id)!));
  const firstCommand = Math.min(...backlog.map((e) => watcher.times.get(e.id)!));
  await caughtUp(admin);
  const memoryAfterBacklog = await usedMemory();
  const backlogBytes = await bytesPerCustomer(redis, store, namespace, 'tp', N);

  say(`latency: ${LATENCY_N} events at ${RATE}/s`);
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true });
  await producer.connect();
  const steady = Array.from({ length: LATENCY_N }, (_, i) => inquiry(i, 'lat'));
  const sentAt = new Map<string, number>();
  const tick = 50;
  const perTick = Math.max(1, Math.round((RATE * tick) / 1000));
  const startedSteady = Date.now();
  for (let i = 0, n = 0; i < steady.length; i += perTick, n++) {
    const chunk = steady.slice(i, i + perTick);
    const at = Date.now();
    await producer.send({
      topic: topics.events,
      acks: -1,
      messages: chunk.map((e) => ({ ...encodeEvent(e), timestamp: String(at) })),
    });
    for (const e of chunk) sentAt.set(e.id, at);
    const wait = startedSteady + (n + 1) * tick - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  const achievedRate = LATENCY_N / ((Date.now() - startedSteady) / 1000);
  await producer.disconnect();
  await support.untilCommands(
    watcher.times,
    steady.map((e) => e.id),
    say,
  );
  const latencies = steady.map((e) => watcher.times.get(e.id)! - sentAt.get(e.id)!).sort((a, b) => a - b);

  say(`growth: ${GROWTH} customers, 1 event each, then 49 more each`);
  await caughtUp(admin);
  const firsts = Array.from({ length: GROWTH }, (_, i) => inquiry(i, 'gr'));
  await produce(firsts);
  await support.untilCommands(
    watcher.times,
    firsts.map((e) => e.id),
    say,
  );
  await caughtUp(admin);
  const afterOne = await bytesPerCustomer(redis, store, namespace, 'gr', GROWTH);
  const more: TactfulEvent[] = [];
  for (let k = 1; k < 50; k++) for (let c = 0; c < GROWTH; c++) more.push(follower(c, k));
  await produce(more);
  await caughtUp(admin);
  const afterFifty = await bytesPerCustomer(redis, store, namespace, 'gr', GROWTH);

  const seconds = (lastCommand - readyAt) / 1000;
  const result = {
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version, load: os.loadavg() },
    events: N,
    partitions: PARTITIONS,
    redis: own ? 'private redis-server' : 'shared (REDIS_URL)',
    throughput: {
      orchestratorEventsPerSecond: Math.round(N / seconds),
      secondsFromReadyToLastCommand: Number(seconds.toFixed(2)),
      secondsFromReadyToFirstCommand: Number(((firstCommand - readyAt) / 1000).toFixed(2)),
      bareConsumerEventsPerSecond: Math.round(bareRate),
      stepOnlyEventsPerSecond: Math.round(compute.rate),
    },
    cpuMicrosPerEvent: {
      orchestrator: Math.round((cpuEnd.orchestrator - cpuStart.orchestrator) / N),
      redisServer: Math.round((cpuEnd.redis - cpuStart.redis) / N),
      total: Math.round((cpuEnd.orchestrator - cpuStart.orchestrator + cpuEnd.redis - cpuStart.redis) / N),
      // the same parse and step() in this process: what of the orchestrator's CPU the pure path takes
      stepOnly: Math.round(compute.cpuMicros),
    },
    redisBytesPerCustomer: {
      // the backlog's customers (one event each): INFO memory before and after, over every customer
      usedMemoryDeltaAfterBacklog: Math.round((memoryAfterBacklog - memoryBefore) / N),
      afterBacklog: backlogBytes,
      afterOneEvent: afterOne,
      afterFiftyEvents: afterFifty,
    },
    step: stepBench,
    latencyMs: {
      events: LATENCY_N,
      ratePerSecond: RATE,
      achievedRatePerSecond: Math.round(achievedRate),
      p50: support.percentile(latencies, 50),
      p90: support.percentile(latencies, 90),
      p99: support.percentile(latencies, 99),
      max: latencies[latencies.length - 1],
    },
  };
  const out = path.join(root, 'bench', 'results');
  fs.mkdirSync(out, { recursive: true });
  const file = path.join(out, `engine-${result.at.replaceAll(':', '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
  console.error(`\n${stepTable(stepBench)}`);
  say(`written to ${path.relative(root, file)}`);
} finally {
  await orchestrator?.stop();
  await watcher.stop();
  await admin.deleteTopics({ topics: Object.values(topics) });
  await admin.disconnect();
  if (own) await own.stop();
  else {
    await deleteNamespace(redis, namespace);
    redis.disconnect();
  }
}
