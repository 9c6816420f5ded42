import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect } from 'vitest';
import type { AuditRecord, EmailSendCommand } from '@tactful/events';
import type { SubBatchStage } from '@tactful/orchestrator';
import { createStore } from '@tactful/store-redis';
import { eventually, sourceArgv, test } from '@tactful/testing';
import { spawnTactful, untilRunning, type ChildStack } from './process-stack';
import { collect, event, publish, shortJourneys, writePolicy, type Collector } from './test-stack';

// A SIGKILL exactly at each window of the sub-batch protocol: after the commit, before the relay (the
// commands exist only in Redis's outbox); after the relay, before the offset commit (the events will be
// read again). Whatever the window, every customer gets each template once, under one command id.

const FIXTURE = path.resolve(import.meta.dirname, 'testdata', 'crash-at.ts');

interface Crashed {
  output: string;
  signal: NodeJS.Signals | null;
}

function crashAt(stage: SubBatchStage, nth: number, env: Record<string, string>): Promise<Crashed> {
  const child = spawn(process.execPath, sourceArgv(FIXTURE, [stage, String(nth), '40']), {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: string[] = [];
  child.stdout.on('data', (c: Buffer) => chunks.push(c.toString()));
  child.stderr.on('data', (c: Buffer) => chunks.push(c.toString()));
  return new Promise((resolve) =>
    child.once('exit', (_, signal) => resolve({ output: chunks.join(''), signal })),
  );
}

const WINDOWS: [SubBatchStage, string][] = [
  ['committed', 'between a sub-batch’s commit and its relay'],
  ['relayed', 'between a sub-batch’s relay and its offset commit'],
];

describe('a crash at each window of the sub-batch protocol', () => {
  const children: ChildStack[] = [];
  const collectors: Collector[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) if (c.child.exitCode === null) c.child.kill('SIGKILL');
    await Promise.all(collectors.splice(0).map((c) => c.stop()));
  });

  for (const [stage, window] of WINDOWS)
    test(`SIGKILL ${window}: no command lost, none doubled`, async ({ kafka, servers, namespace, redis }) => {
      const customers = 600;
      const env = {
        KAFKA_BROKERS: servers.kafkaBrokers.join(','),
        REDIS_URL: servers.redisUrl,
        TACTFUL_NAMESPACE: namespace,
        TACTFUL_JOURNEYS: await shortJourneys('PT1S'),
        TACTFUL_POLICY: await writePolicy(),
        TACTFUL_HTTP_PORT: '0',
        TACTFUL_TOPIC_PARTITIONS: '3',
        TACTFUL_CONSUMER_SESSION_TIMEOUT_MS: '6000',
        LOG_LEVEL: 'warn',
      };
      await kafka.createTopics(['events', 'commands', 'dlq', 'audit'], 3);
      const commands = await collect(kafka, kafka.topic('commands'), 'commands');
      const audit = await collect(kafka, kafka.topic('audit'), 'audit');
      collectors.push(commands, audit);
      // a backlog, so every partition's fetched batch is many sub-batches of 40
      await publish(
        kafka,
        Array.from({ length: customers }, (_, i) =>
          event('form.submitted', `w-${i}`, { formId: 'whitepaper-2026', email: `w${i}@example.com` }),
        ),
      );

      const crashed = await crashAt(stage, 4, env);
      expect(crashed.signal, crashed.output.slice(-2000)).toBe('SIGKILL');
      expect(crashed.output).toContain(`crashing at ${stage}`);
      const store = createStore({ redis: redis.redis, namespace });
      if (stage === 'committed') {
        // the window was hit: commands committed to the outbox and not on Kafka
        expect((await store.pendingOutbox()).length).toBeGreaterThan(0);
      } else {
        // the window was hit: commands on Kafka for events whose offsets were not committed
        await eventually('the relayed commands read', () =>
          commands.messages.length > 0 ? true : undefined,
        );
        const offsets = await kafka.admin.fetchOffsets({
          groupId: `${namespace}.orchestrator`,
          topics: [kafka.topic('events')],
        });
        const committed = offsets[0]!.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
        expect(new Set(commands.json<EmailSendCommand>().map((c) => c.causationId)).size).toBeGreaterThan(
          committed,
        );
      }

      const restarted = spawnTactful(['run', '--only', 'orchestrator,scheduler'], {
        ...env,
        LOG_LEVEL: 'info',
      });
      children.push(restarted);
      await untilRunning(restarted);
      const expected = customers * 2;
      await eventually(
        `all ${expected} commands`,
        () =>
          new Set(commands.json<EmailSendCommand>().map((c) => c.id)).size >= expected ? true : undefined,
        { timeoutMs: 90_000, intervalMs: 200 },
      );
      const all = commands.json<EmailSendCommand>();
      const ids = new Map<string, Set<string>>();
      for (const c of all)
        ids.set(
          `${c.customerId}/${c.template}`,
          (ids.get(`${c.customerId}/${c.template}`) ?? new Set()).add(c.id),
        );
      console.log(
        `${stage}: ${all.length} command messages, ${new Set(all.map((c) => c.id)).size} distinct ids`,
      );
      expect(ids.size).toBe(expected);
      for (const [pair, set] of ids) expect(set.size, pair).toBe(1);
      // each customer entered once: audit records relayed again carry the same outbox id
      const entered = new Map<string, Set<string>>();
      audit.messages.forEach((m, i) => {
        const record = audit.json<AuditRecord>()[i]!;
        if (record.decision !== 'entered') return;
        const id = m.headers?.['tactful-outbox-id']?.toString() ?? '';
        entered.set(record.customerId, (entered.get(record.customerId) ?? new Set()).add(id));
      });
      expect(entered.size).toBe(customers);
      for (const [customer, set] of entered) expect(set.size, customer).toBe(1);
      expect(await store.pendingOutbox()).toEqual([]);
    }, 240_000);
});
