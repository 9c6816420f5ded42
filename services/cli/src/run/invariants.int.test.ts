import { afterEach, describe, expect } from 'vitest';
import type { AuditRecord, EmailSendCommand } from '@tactful/events';
import { eventually, test } from '@tactful/testing';
import { spawnTactful, untilRunning, type ChildStack } from './process-stack';
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

// Invariants of ARCHITECTURE.md broken on purpose: a crash mid-batch, a duplicate event, a restart while
// waits are pending, a drain on SIGTERM.

function byPair(commands: EmailSendCommand[]): Map<string, Set<string>> {
  const pairs = new Map<string, Set<string>>();
  for (const c of commands) {
    const key = `${c.customerId}/${c.template}`;
    pairs.set(key, (pairs.get(key) ?? new Set()).add(c.id));
  }
  return pairs;
}

describe('invariants', () => {
  const children: ChildStack[] = [];
  const collectors: Collector[] = [];
  let stack: Stack | undefined;
  afterEach(async () => {
    for (const c of children.splice(0)) if (c.child.exitCode === null) c.child.kill('SIGKILL');
    await Promise.all(collectors.splice(0).map((c) => c.stop()));
    await stack?.close();
    stack = undefined;
  });

  test('SIGKILL of the orchestrator mid-batch, again and again: every command exactly once by id, none missing', async ({
    kafka,
    servers,
    namespace,
  }) => {
    const customers = 1500;
    const env = {
      KAFKA_BROKERS: servers.kafkaBrokers.join(','),
      REDIS_URL: servers.redisUrl,
      TACTFUL_NAMESPACE: namespace,
      TACTFUL_JOURNEYS: await shortJourneys('PT1S'),
      TACTFUL_POLICY: await writePolicy(),
      TACTFUL_HTTP_PORT: '0',
      TACTFUL_TOPIC_PARTITIONS: '3',
      TACTFUL_CONSUMER_SESSION_TIMEOUT_MS: '6000',
      LOG_LEVEL: 'info',
    };
    const run = (): ChildStack => {
      const child = spawnTactful(['run', '--only', 'orchestrator,scheduler'], env);
      children.push(child);
      return child;
    };
    let current = run();
    await untilRunning(current);
    const commands = await collect(kafka, kafka.topic('commands'), 'commands');
    collectors.push(commands);
    await publish(
      kafka,
      Array.from({ length: customers }, (_, i) =>
        event('form.submitted', `k-${i}`, { formId: 'whitepaper-2026', email: `k${i}@example.com` }),
      ),
    );

    // kill while the backlog is being worked through: after some commands appeared, before all did
    const expected = customers * 2;
    let kills = 0;
    for (let round = 0; round < 5; round++) {
      const seen = commands.messages.length;
      await eventually(
        `progress before kill ${round + 1}`,
        () => (commands.messages.length > seen ? true : undefined),
        {
          timeoutMs: 30_000,
        },
      );
      if (new Set(commands.json<EmailSendCommand>().map((c) => c.id)).size >= expected) break;
      current.child.kill('SIGKILL');
      await current.exited;
      kills += 1;
      current = run();
      await untilRunning(current);
    }

    await eventually(
      `all ${expected} commands`,
      () => (new Set(commands.json<EmailSendCommand>().map((c) => c.id)).size >= expected ? true : undefined),
      { timeoutMs: 90_000, intervalMs: 200 },
    );
    const all = commands.json<EmailSendCommand>();
    const pairs = byPair(all);
    console.log(
      `${kills} SIGKILLs; ${all.length} command messages, ${new Set(all.map((c) => c.id)).size} distinct ids ` +
        `(${all.length - new Set(all.map((c) => c.id)).size} relayed again with the same id)`,
    );
    expect(kills).toBeGreaterThan(0);
    // every customer got each template exactly once, under exactly one command id
    expect(pairs.size).toBe(expected);
    for (let i = 0; i < customers; i++) {
      for (const template of ['wp-welcome', 'wp-checkin']) {
        expect(pairs.get(`k-${i}/${template}`)?.size, `k-${i}/${template}`).toBe(1);
      }
    }
  }, 240_000);

  test('a duplicate event (same id) has no second effect', async ({ kafka, servers, namespace }) => {
    stack = await startTestStack({
      servers,
      namespace,
      journeys: await shortJourneys('PT1H'),
      policy: await writePolicy(),
    });
    const commands = await collect(kafka, kafka.topic('commands'), 'commands');
    const audit = await collect(kafka, kafka.topic('audit'), 'audit');
    collectors.push(commands, audit);
    const form = event('form.submitted', 'dup', {
      formId: 'contact-us',
      email: 'dup@example.com',
      fields: { message: 'hi' },
    });
    await publish(kafka, [form, form]);
    await publish(kafka, [form]);
    // a later event of the same customer proves the duplicates before it were all handled
    await publish(kafka, [event('email.opened', 'dup', {})]);
    await eventually('the marker event applied', async () => {
      const probe = await kafka.admin.fetchOffsets({
        groupId: `${namespace}.orchestrator`,
        topics: [kafka.topic('events')],
      });
      const committed = probe[0]?.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0) ?? 0;
      return committed >= 4 ? true : undefined;
    });
    await eventually('the answer', () => (commands.messages.length > 0 ? true : undefined));
    expect(commands.json<EmailSendCommand>().map((c) => c.template)).toEqual(['inquiry-answer']);
    expect(audit.json<AuditRecord>().filter((r) => r.decision === 'entered')).toHaveLength(1);
  });

  test('waits pending while every process restarts still fire', async ({ kafka, servers, namespace }) => {
    const journeys = await shortJourneys('PT3S');
    const policy = await writePolicy();
    stack = await startTestStack({ servers, namespace, journeys, policy });
    const commands = await collect(kafka, kafka.topic('commands'), 'commands');
    collectors.push(commands);
    await publish(kafka, [
      event('form.submitted', 'wait', { formId: 'whitepaper-2026', email: 'w@example.com' }),
    ]);
    await eventually('the welcome', () => (commands.messages.length > 0 ? true : undefined));
    await stack.close();
    stack = await startTestStack({ servers, namespace, journeys, policy });
    await eventually('the check-in after the restart', () =>
      commands.json<EmailSendCommand>().some((c) => c.template === 'wp-checkin') ? true : undefined,
    );
  });

  test('SIGTERM drains and leaves the consumer group at once', async ({ kafka, servers, namespace }) => {
    const child = spawnTactful(['run', '--only', 'orchestrator,scheduler'], {
      KAFKA_BROKERS: servers.kafkaBrokers.join(','),
      REDIS_URL: servers.redisUrl,
      TACTFUL_NAMESPACE: namespace,
      TACTFUL_JOURNEYS: await shortJourneys(),
      TACTFUL_POLICY: await writePolicy(),
      TACTFUL_HTTP_PORT: '0',
      LOG_LEVEL: 'info',
    });
    children.push(child);
    await untilRunning(child);
    const group = `${namespace}.orchestrator`;
    await eventually('a member in the group', async () => {
      const { groups } = await kafka.admin.describeGroups([group]);
      return groups[0]?.members.length === 1 ? true : undefined;
    });
    child.child.kill('SIGTERM');
    const { code } = await child.exited;
    expect(code, child.output().slice(-2000)).toBe(0);
    // a clean leave, not a session timeout: the group is empty right away
    const { groups } = await kafka.admin.describeGroups([group]);
    expect(groups[0]?.members).toEqual([]);
  }, 120_000);
});
