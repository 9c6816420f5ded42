import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { Redis } from '@tactful/store-redis';
import { Partitioners, createKafkaClient, type Admin, type Kafka } from '@tactful/kafka';
import { topicsFor } from '@tactful/events';
import { TactfulEnv } from '@tactful/observability';
import { commandConfig } from '../env';

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

async function timed<T>(name: string, checks: Check[], run: () => Promise<{ value: T; detail: string }>) {
  const started = Date.now();
  try {
    const { value, detail } = await run();
    checks.push({ name, ok: true, detail: `${detail} (${Date.now() - started} ms)` });
    return value;
  } catch (err) {
    checks.push({ name, ok: false, detail: (err as Error).message });
    return undefined;
  }
}

/** Produces a random value to a new topic with acks=all and consumes it back; deletes the topic after. */
async function kafkaRoundTrip(kafka: Kafka, admin: Admin, namespace: string) {
  const topic = `${namespace}.doctor-${randomBytes(4).toString('hex')}`;
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  const consumer = kafka.consumer({ groupId: topic });
  try {
    await producer.connect();
    const value = randomBytes(8).toString('hex');
    await producer.send({ topic, acks: -1, messages: [{ key: 'doctor', value }] });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const got = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no message back within 15 s')), 15_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          clearTimeout(timer);
          resolve(message.value?.toString() ?? '');
        },
      });
    });
    if (got !== value) throw new Error(`read back ${got}, sent ${value}`);
    return { value: true, detail: 'produced with acks=all and consumed back' };
  } finally {
    await Promise.allSettled([producer.disconnect(), consumer.disconnect()]);
    await admin.deleteTopics({ topics: [topic] });
  }
}

/** Writes a random value with an expiry, reads it back and deletes it. */
async function checkRedis(url: string, namespace: string, checks: Check[]): Promise<void> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 3000,
  });
  await timed('redis', checks, async () => {
    await redis.connect();
    const key = `${namespace}:doctor`;
    const value = randomBytes(8).toString('hex');
    await redis.set(key, value, 'EX', 60);
    if ((await redis.get(key)) !== value) throw new Error('read back a different value');
    await redis.del(key);
    const version = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? '?';
    return { value: true, detail: `Redis ${version} at ${url}, write and read back` };
  });
  redis.disconnect();
}

/** End-to-end check of what the services need: Kafka, the namespace's topics, a round trip, and Redis. */
export function doctorCommand(program: Command): void {
  program
    .command('doctor')
    .description(
      'check that Kafka, the topics of the namespace and Redis work, with a real round trip through each',
    )
    .option('--json', 'print the checks as JSON')
    .action(async (options: { json?: boolean }) => {
      const config = commandConfig(TactfulEnv, process.env);
      const checks: Check[] = [];
      const kafka = createKafkaClient({
        brokers: config.KAFKA_BROKERS,
        clientId: 'tactful-doctor',
        retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 1000 },
        requestTimeoutMs: 5000,
      });
      const admin = kafka.admin();
      const connected = await timed('kafka', checks, async () => {
        await admin.connect();
        const cluster = await admin.describeCluster();
        return {
          value: true,
          detail: `${cluster.brokers.length} broker(s) at ${config.KAFKA_BROKERS.join(',')}`,
        };
      });
      if (connected) {
        await timed('topics', checks, async () => {
          const wanted = Object.values(topicsFor(config.TACTFUL_NAMESPACE));
          const existing = new Set(await admin.listTopics());
          const missing = wanted.filter((t) => !existing.has(t));
          if (missing.length > 0)
            throw new Error(`missing ${missing.join(', ')} (run \`tactful topics create\`)`);
          return { value: true, detail: wanted.join(', ') };
        });
        await timed('kafka round trip', checks, () => kafkaRoundTrip(kafka, admin, config.TACTFUL_NAMESPACE));
      }
      await admin.disconnect();

      await checkRedis(config.REDIS_URL, config.TACTFUL_NAMESPACE, checks);

      if (options.json) console.log(JSON.stringify({ ok: checks.every((c) => c.ok), checks }, null, 2));
      else for (const c of checks) console.log(`${c.ok ? '✓' : '✗'} ${c.name.padEnd(17)} ${c.detail}`);
      process.exitCode = checks.every((c) => c.ok) ? 0 : 1;
    });
}
