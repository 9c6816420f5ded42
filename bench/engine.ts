// npm run bench: what the orchestrator sustains end to end on the real broker and Redis, next to the two
// limits it sits between, measured in the same run on the same events:
//   - transport: a bare kafkajs consumer reading the events (no parsing, no state);
//   - compute:   step() alone, in memory, no I/O (and bench/step.ts: step() on compiled journeys, step()
//                through XState, XState's transition() alone);
//   - end to end: events produced → orchestrator (parse, load, step, atomic commit, relay) → commands,
//     throughput on a backlog, and latency from event produced to command produced at a steady rate.
// Every event is a first contact-us form of a new customer, so each one decides exactly one send.
//   npx tsx bench/engine.ts [--events 20000] [--latency-events 2000] [--rate 400] [--partitions 6]
// Reads KAFKA_BROKERS and REDIS_URL like the services. Writes bench/results/engine-<time>.json.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { Partitioners, type Kafka } from 'kafkajs';
import { buildCatalog, emptyCustomerState, step, type CustomerState } from '@tactful/engine';
import {
  encodeEvent,
  parseEvent,
  topicsFor,
  type EmailSendCommand,
  type TactfulEvent,
} from '@tactful/events';
import { loadJourneys } from '@tactful/journeys';
import { createKafkaClient, ensureTopics } from '@tactful/kafka';
import { parsePolicyOrThrow } from '@tactful/policy';
import { deleteNamespace } from '@tactful/store-redis';
import { startStack } from '../services/cli/src/run/stack';
import { benchStep, stepTable } from './step';
import { writePolicy } from '../services/cli/src/run/test-stack';
import { createRedisClient } from '../services/cli/src/run/redis-client';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '20000' },
    'step-customers': { type: 'string', default: '5000' },
    'step-rounds': { type: 'string', default: '5' },
    'latency-events': { type: 'string', default: '2000' },
    rate: { type: 'string', default: '400' },
    partitions: { type: 'string', default: '6' },
  },
});
const N = Number(values.events);
const LATENCY_N = Number(values['latency-events']);
const RATE = Number(values.rate);
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const namespace = `bench-${randomBytes(4).toString('hex')}`;
const topics = topicsFor(namespace);
const kafka = createKafkaClient({ brokers, clientId: 'tactful-bench' });
const journeysDir = path.join(root, 'journeys');
const say = (line: string): void => console.error(`bench: ${line}`);
const DEADLINE_MS = 10 * 60_000;
setTimeout(() => {
  console.error(`bench: gave up after ${DEADLINE_MS / 60_000} minutes (is Kafka or Redis answering?)`);
  process.exit(1);
}, DEADLINE_MS).unref();

function inquiry(i: number, phase: string): TactfulEvent {
  return {
    specversion: '1.0',
    id: `evt-${phase}-${i}`,
    source: 'bench/engine',
    type: 'form.submitted',
    subject: `${phase}-cust-${i}`,
    time: new Date().toISOString(),
    data: { formId: 'contact-us', email: `c${i}@example.com`, fields: { message: `question ${i}` } },
  } as TactfulEvent;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

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

/** Reads `topic` from the start with a fresh group until `count` messages arrived; returns events/s. */
async function bareConsumer(client: Kafka, topic: string, count: number): Promise<number> {
  const consumer = client.consumer({ groupId: `${namespace}.bare-${randomBytes(3).toString('hex')}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  let first = 0n;
  const done = new Promise<bigint>((resolve) => {
    void consumer.run({
      partitionsConsumedConcurrently: Number(values.partitions),
      eachMessage: async () => {
        if (seen === 0) first = process.hrtime.bigint();
        seen += 1;
        if (seen === count) resolve(process.hrtime.bigint());
      },
    });
  });
  const end = await done;
  await consumer.disconnect();
  return count / (Number(end - first) / 1e9);
}

function computeOnly(events: TactfulEvent[]): number {
  const loaded = loadedJourneys;
  const ctx = { catalog: buildCatalog(loaded), policy: parsePolicyOrThrow(RELAXED, 'bench-policy.yaml') };
  const states = new Map<string, CustomerState>();
  const started = process.hrtime.bigint();
  for (const event of events) {
    // the same parsing the consumer does, then the step
    const parsed = parseEvent(JSON.stringify(event), event.subject, { allowInternal: true });
    if (!parsed.ok) throw new Error(parsed.rejection.message);
    const state = states.get(event.subject) ?? emptyCustomerState(event.subject);
    const result = step(state, parsed.event, new Date(), ctx);
    states.set(event.subject, result.state);
  }
  return events.length / (Number(process.hrtime.bigint() - started) / 1e9);
}

const RELAXED = `frequency: { maxPerDay: 50, maxPerWeek: 100, minGap: PT0S }
quietHours: { start: "00:00", end: "00:00", defaultTimezone: UTC }
blastGuard: { maxPerHour: 40 }
`;
const loadedJourneys = (await loadJourneys(journeysDir)).journeys;

const admin = kafka.admin();
await admin.connect();
const commandTimes = new Map<string, number>();
let stack: Awaited<ReturnType<typeof startStack>> | undefined;
const watcher = kafka.consumer({ groupId: `${namespace}.watch` });
try {
  await ensureTopics(admin, Object.values(topics), Number(values.partitions));
  const backlog = Array.from({ length: N }, (_, i) => inquiry(i, 'tp'));
  say(`compute limit: step() on ${N} events in memory`);
  const stepRate = computeOnly(backlog);
  say('step() on compiled journeys, through XState, and XState transition() alone');
  const stepBench = await benchStep(loadedJourneys, {
    customers: Number(values['step-customers']),
    rounds: Number(values['step-rounds']),
  });

  say(`producing a backlog of ${N} events`);
  await produce(backlog);
  say('transport limit: a bare kafkajs consumer');
  const bareRate = await bareConsumer(kafka, topics.events, N);

  await watcher.connect();
  await watcher.subscribe({ topic: topics.commands, fromBeginning: true });
  await watcher.run({
    eachMessage: async ({ message }) => {
      const command = JSON.parse(message.value?.toString() ?? '{}') as EmailSendCommand;
      if (!commandTimes.has(command.causationId))
        commandTimes.set(command.causationId, Number(message.timestamp));
    },
  });

  say('end to end: the orchestrator works through the backlog');
  const started = Date.now();
  stack = await startStack({
    env: {
      KAFKA_BROKERS: brokers.join(','),
      REDIS_URL: redisUrl,
      TACTFUL_NAMESPACE: namespace,
      TACTFUL_JOURNEYS: journeysDir,
      TACTFUL_POLICY: await writePolicy(RELAXED),
      TACTFUL_HTTP_PORT: '0',
      LOG_LEVEL: 'silent',
    },
    services: ['orchestrator'],
    logger: pino({ level: process.env.BENCH_LOG_LEVEL ?? 'silent' }),
    overrides: { host: '127.0.0.1' },
  });
  // the clock starts once the orchestrator owns the partitions, so the group join is not counted
  let joinedAt = 0;
  while (joinedAt === 0) {
    const { groups } = await admin.describeGroups([`${namespace}.orchestrator`]);
    if (groups[0]?.state === 'Stable' && groups[0].members.length > 0) joinedAt = Date.now();
    else await new Promise((r) => setTimeout(r, 20));
  }
  const backlogIds = backlog.map((e) => e.id);
  let lastReport = Date.now();
  while (backlogIds.some((id) => !commandTimes.has(id))) {
    await new Promise((r) => setTimeout(r, 100));
    if (Date.now() - lastReport > 5000) {
      lastReport = Date.now();
      say(`${backlogIds.filter((id) => commandTimes.has(id)).length} of ${N} commands so far`);
    }
  }
  const lastCommand = Math.max(...backlogIds.map((id) => commandTimes.get(id)!));
  const e2eRate = N / ((lastCommand - joinedAt) / 1000);
  const withJoin = N / ((lastCommand - started) / 1000);

  say(`end to end latency: ${LATENCY_N} events at ${RATE}/s`);
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true });
  await producer.connect();
  const sentAt = new Map<string, number>();
  const steady = Array.from({ length: LATENCY_N }, (_, i) => inquiry(i, 'lat'));
  const tick = 50;
  const perTick = Math.max(1, Math.round((RATE * tick) / 1000));
  for (let i = 0; i < steady.length; i += perTick) {
    const chunk = steady.slice(i, i + perTick);
    const at = Date.now();
    await producer.send({ topic: topics.events, acks: -1, messages: chunk.map(encodeEvent) });
    for (const e of chunk) sentAt.set(e.id, at);
    const wait = tick - (Date.now() - at);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  await producer.disconnect();
  while (steady.some((e) => !commandTimes.has(e.id))) await new Promise((r) => setTimeout(r, 50));
  const latencies = steady.map((e) => commandTimes.get(e.id)! - sentAt.get(e.id)!).sort((a, b) => a - b);

  const result = {
    at: new Date().toISOString(),
    machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
    events: N,
    partitions: Number(values.partitions),
    throughput: {
      orchestratorEventsPerSecond: Math.round(e2eRate),
      orchestratorEventsPerSecondIncludingGroupJoin: Math.round(withJoin),
      bareConsumerEventsPerSecond: Math.round(bareRate),
      stepOnlyEventsPerSecond: Math.round(stepRate),
    },
    step: stepBench,
    latencyMs: {
      events: LATENCY_N,
      ratePerSecond: RATE,
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      max: latencies[latencies.length - 1],
    },
  };
  const out = path.join(root, 'bench', 'results');
  fs.mkdirSync(out, { recursive: true });
  const file = path.join(out, `engine-${result.at.replaceAll(':', '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
  console.error(
    [
      '',
      'what                                   events/s',
      `parse + step(), no I/O (compute limit) ${result.throughput.stepOnlyEventsPerSecond}`,
      `bare kafkajs consumer (transport)      ${result.throughput.bareConsumerEventsPerSecond}`,
      `orchestrator end to end                ${result.throughput.orchestratorEventsPerSecond}`,
      '',
      `latency event produced → command produced at ${RATE}/s: p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms`,
      '',
      stepTable(stepBench),
      `written to ${path.relative(root, file)}`,
    ].join('\n'),
  );
} finally {
  await stack?.close();
  await watcher.disconnect();
  await admin.deleteTopics({ topics: Object.values(topics) });
  await admin.disconnect();
  const redis = createRedisClient(redisUrl);
  await deleteNamespace(redis, namespace);
  redis.disconnect();
}
