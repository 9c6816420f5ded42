import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterEach, describe, expect } from 'vitest';
import type { KafkaMessage } from '@tactful/kafka';
import type { Sentinel } from '@tactful/sentinel';
import { createStore } from '@tactful/store-redis';
import { eventually, tactfulArgv, test } from '@tactful/testing';
import { startSmtpSink, type SmtpSink } from './smtp-sink';
import { commandFor, startTestSentinel } from './test-kit';

// Invariant 2 under fire: the dispatcher runs as `tactful run --only dispatcher` in a child process and is
// SIGKILLed again and again at random moments while it works through a backlog. Counted at the SMTP
// server: no command is delivered twice, and every command is delivered or, when a kill fell between the
// end of the data and the delivery record, parked in the DLQ as delivery_uncertain (never sent again).
// The halt sentinel the dispatcher waits for runs in the test's process, out of the kills' way.

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const COMMANDS = 300;
const KILLS = 6;

interface Child {
  readonly process: ChildProcess;
  output(): string;
  readonly exited: Promise<void>;
}

function spawnDispatcher(env: Record<string, string>): Child {
  const child = spawn(process.execPath, tactfulArgv(['run', '--only', 'dispatcher']), {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: string[] = [];
  child.stdout?.on('data', (c: Buffer) => chunks.push(c.toString()));
  child.stderr?.on('data', (c: Buffer) => chunks.push(c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { process: child, output: () => chunks.join(''), exited };
}

describe('the dispatcher, killed again and again', () => {
  const children: Child[] = [];
  let sink: SmtpSink | undefined;
  let sentinel: Sentinel | undefined;
  afterEach(async () => {
    for (const c of children.splice(0)) if (c.process.exitCode === null) c.process.kill('SIGKILL');
    await sink?.close();
    await sentinel?.close();
    sentinel = undefined;
  });

  test(`SIGKILL ${KILLS} times while delivering ${COMMANDS} commands: no command delivered twice, none lost`, async ({
    kafka,
    redis,
    servers,
    namespace,
  }) => {
    const [, commandsTopic, dlqTopic] = await kafka.createTopics(['events', 'commands', 'dlq', 'audit'], 3);
    sink = await startSmtpSink();
    sentinel = await startTestSentinel(kafka, createStore({ redis: redis.redis, namespace }));
    const env = {
      KAFKA_BROKERS: servers.kafkaBrokers.join(','),
      REDIS_URL: servers.redisUrl,
      TACTFUL_NAMESPACE: namespace,
      TACTFUL_JOURNEYS: path.join(ROOT, 'journeys'),
      TACTFUL_TEMPLATES: path.join(ROOT, 'templates'),
      TACTFUL_POLICY: path.join(ROOT, 'policy.yaml'),
      TACTFUL_SMTP_URL: sink.url,
      TACTFUL_LINK_SECRET: randomBytes(32).toString('hex'),
      TACTFUL_HTTP_PORT: '0',
      TACTFUL_TOPIC_PARTITIONS: '3',
      TACTFUL_CONSUMER_SESSION_TIMEOUT_MS: '6000',
      TACTFUL_DELIVERY_LEASE_MS: '2000',
      LOG_LEVEL: 'info',
    };
    const start = async (): Promise<Child> => {
      const child = spawnDispatcher(env);
      children.push(child);
      await eventually(
        'tactful run started',
        () => {
          if (child.process.exitCode !== null) throw new Error(`exited:\n${child.output().slice(-3000)}`);
          return child.output().includes('tactful running') ? true : undefined;
        },
        { timeoutMs: 30_000 },
      );
      return child;
    };

    const commands = Array.from({ length: COMMANDS }, (_, i) => commandFor(`k-${i}`, 'wp-welcome'));
    const producer = await kafka.producer();
    await producer.send({
      topic: commandsTopic!,
      acks: -1,
      messages: commands.map((c) => ({ key: c.customerId, value: JSON.stringify(c) })),
    });
    const dead: KafkaMessage[] = [];
    const dlqReader = kafka.consumer('dlq-reader');
    await dlqReader.connect();
    await dlqReader.subscribe({ topic: dlqTopic!, fromBeginning: true });
    await dlqReader.run({ eachMessage: async ({ message }) => void dead.push(message) });

    let current = await start();
    let kills = 0;
    for (let round = 0; round < KILLS; round++) {
      const seen = sink.received.length;
      if (seen >= COMMANDS) break;
      await eventually(
        `progress before kill ${round + 1}`,
        () => (sink!.received.length > seen ? true : undefined),
        {
          timeoutMs: 60_000,
          intervalMs: 5,
        },
      );
      // a random moment inside the work, not a moment of our choosing
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 40)));
      current.process.kill('SIGKILL');
      await current.exited;
      kills += 1;
      current = await start();
    }

    const uncertain = () =>
      dead
        .filter((m) => m.headers?.['tactful-error']?.toString() === 'delivery_uncertain')
        .map((m) => JSON.parse(m.value!.toString()).id as string);
    await eventually(
      'every command delivered or parked as uncertain',
      () => {
        const done = new Set([...sink!.countsByCommand().keys(), ...uncertain()]);
        return commands.every((c) => done.has(c.id)) ? true : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 200 },
    );
    await dlqReader.disconnect();

    const counts = sink.countsByCommand();
    const duplicates = [...counts.values()].filter((n) => n > 1).length;
    const parked = uncertain();
    const parkedButDelivered = parked.filter((id) => counts.has(id)).length;
    const recovered = children
      .map((c) => c.output().split('recovered a claim').length - 1)
      .reduce((a, b) => a + b, 0);
    console.log(
      `kill test: ${kills} SIGKILLs, ${COMMANDS} commands, ${counts.size} delivered, ${duplicates} delivered twice, ` +
        `${parked.length} parked as delivery_uncertain (${parkedButDelivered} of them had reached the server), ` +
        `${dead.length - parked.length} other DLQ records; ${recovered} claims of killed processes sent after their lease`,
    );
    expect(kills).toBeGreaterThanOrEqual(3);
    expect(duplicates).toBe(0);
    expect(dead.length - parked.length).toBe(0);
    // nothing lost silently: each command reached the server, or is in the DLQ saying it may have
    for (const c of commands) expect(counts.has(c.id) || parked.includes(c.id), c.id).toBe(true);
    expect(sink.received.every((m) => m.commandId !== undefined)).toBe(true);
    expect(sink.unreadable).toEqual([]);
  }, 300_000);
});
