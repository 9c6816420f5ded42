import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect } from 'vitest';
import { eventually, sourceArgv, test } from '@tactful/testing';

// The sentinel's own main.ts as a child process, the way a deployment that runs one service per process
// starts it: the same starter `tactful run` composes, on the resources of `runService`.

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

function spawnMain(env: Record<string, string>) {
  const child = spawn(process.execPath, sourceArgv(MAIN), {
    env: { ...process.env, LOG_LEVEL: 'info', TACTFUL_HTTP_PORT: '0', TACTFUL_TOPIC_PARTITIONS: '2', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

describe('the sentinel main.ts', () => {
  test('runs the sentinel alone: /readyz answers 200 once it joined its group, SIGTERM exits 0', async ({
    servers,
    kafka,
  }) => {
    const main = spawnMain({
      KAFKA_BROKERS: servers.kafkaBrokers.join(','),
      REDIS_URL: servers.redisUrl,
      TACTFUL_NAMESPACE: kafka.namespace,
    });
    try {
      const url = await eventually(
        'the sentinel to say where it listens',
        () => {
          if (main.child.exitCode !== null)
            throw new Error(`main.ts exited ${main.child.exitCode}:\n${main.output()}`);
          const line = main
            .output()
            .split('\n')
            .find((l) => l.includes('"msg":"tactful-sentinel running"'));
          return line === undefined ? undefined : (JSON.parse(line) as { url: string }).url;
        },
        { timeoutMs: 80_000 },
      );
      const ready = await eventually(
        '/readyz to answer 200',
        async () => {
          const response = await fetch(`${url}/readyz`);
          return response.status === 200 ? ((await response.json()) as { checks: object }) : undefined;
        },
        { timeoutMs: 80_000 },
      );
      expect(Object.keys(ready.checks).sort()).toEqual(['redis', 'sentinel.consumer']);
      main.child.kill('SIGTERM');
      expect(await main.exited).toBe(0);
      expect(main.output()).toContain('"msg":"tactful-sentinel stopped"');
    } finally {
      if (main.child.exitCode === null) main.child.kill('SIGKILL');
      const topics = (await kafka.admin.listTopics()).filter((t) => t.startsWith(`${kafka.namespace}.`));
      if (topics.length > 0) await kafka.admin.deleteTopics({ topics });
    }
    // a process of its own compiles its sources with tsx and joins a group: room for a loaded machine
  }, 180_000);

  test('refuses journeys it cannot load: exit 2, the problem on stderr, nothing started', async ({
    servers,
    kafka,
  }) => {
    const main = spawnMain({
      KAFKA_BROKERS: servers.kafkaBrokers.join(','),
      REDIS_URL: servers.redisUrl,
      TACTFUL_NAMESPACE: kafka.namespace,
      TACTFUL_JOURNEYS: '/nonexistent/journeys',
    });
    expect(await main.exited).toBe(2);
    expect(main.output()).toContain('refusing to start');
    expect(main.output()).not.toContain('tactful-sentinel running');
  }, 60_000);
});
