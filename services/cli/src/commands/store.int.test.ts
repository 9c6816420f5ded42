import { afterEach, describe, expect } from 'vitest';
import { commitLayout1, markLayout1 } from '@tactful/store-redis/layout1-fixture';
import { test } from '@tactful/testing';
import { spawnTactful, untilRunning, type ChildStack } from '../run/process-stack';
import { shortJourneys, writePolicy } from '../run/test-stack';

describe('tactful store migrate', () => {
  const children: ChildStack[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) if (c.child.exitCode === null) c.child.kill('SIGKILL');
  });

  test('a namespace of layout 1 stops every service at start with the command that migrates it; after it, they start', async ({
    servers,
    redis,
    namespace,
  }) => {
    await markLayout1(redis.redis, namespace, 64);
    await commitLayout1(redis.redis, namespace, 64, {
      customerId: 'ann',
      expectedVersion: 0,
      eventId: 'evt-1',
      state: { customerId: 'ann' },
      ledgerAdd: ['wp-welcome'],
    });
    const env = {
      KAFKA_BROKERS: servers.kafkaBrokers.join(','),
      REDIS_URL: servers.redisUrl,
      TACTFUL_NAMESPACE: namespace,
      TACTFUL_JOURNEYS: await shortJourneys('PT1H'),
      TACTFUL_POLICY: await writePolicy(),
      TACTFUL_HTTP_PORT: '0',
      TACTFUL_TOPIC_PARTITIONS: '1',
    };
    const refused = spawnTactful(['run', '--only', 'orchestrator,scheduler,sentinel,console'], env);
    children.push(refused);
    expect((await refused.exited).code).not.toBe(0);
    expect(refused.output()).toContain('tactful store migrate');
    expect(refused.output()).toContain('layout 1');

    const migrate = spawnTactful(['store', 'migrate', '--json'], env);
    children.push(migrate);
    expect((await migrate.exited).code).toBe(0);
    const summary = JSON.parse(migrate.output()) as Record<string, unknown>;
    expect(summary).toMatchObject({ namespace, from: 1, to: 2, customers: 1 });

    const again = spawnTactful(['store', 'migrate'], env);
    children.push(again);
    expect((await again.exited).code).toBe(0);
    expect(again.output()).toContain('already in layout 2');

    const running = spawnTactful(['run', '--only', 'orchestrator,scheduler,sentinel,console'], env);
    children.push(running);
    await untilRunning(running);
    running.child.kill('SIGTERM');
    expect((await running.exited).code).toBe(0);
  }, 120_000);
});
