import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { startSmtpSink, type SmtpSink } from '@tactful/dispatcher/smtp-sink';
import { writeRuntimeLayout } from '@tactful/infra';
import { eventually, test } from '@tactful/testing';

// The image without Docker: the same runtime layout the Dockerfile's build stage writes (manifests,
// compiled dist/, the examples), installed with the image's `npm ci --omit=dev --ignore-scripts` in a
// scratch folder, then `tactful run` started by plain node from there, every service, against the real
// Kafka and Redis. Nothing of the repository's node_modules (tsx, TypeScript, vitest) is reachable.

let dir: string;
let sink: SmtpSink;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tactful-runtime-'));
  writeRuntimeLayout(dir);
  const install = spawnSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 240_000,
  });
  if (install.status !== 0) throw new Error(`npm ci failed:\n${install.stdout}${install.stderr}`);
}, 300_000);

afterAll(async () => {
  await sink?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the production install', () => {
  test('holds the compiled services and no development tools', () => {
    const installed = (name: string) => fs.existsSync(path.join(dir, 'node_modules', name));
    expect(installed('kafkajs')).toBe(true);
    for (const tool of ['tsx', 'typescript', 'vitest', 'testcontainers', '@tactful/testing']) {
      expect(installed(tool), tool).toBe(false);
    }
    expect(fs.existsSync(path.join(dir, 'services/cli/dist/main.js'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'services/cli/src'))).toBe(false);
  });

  test('runs `tactful run` with node: /readyz answers 200, SIGTERM exits 0', async ({ servers, kafka }) => {
    sink = await startSmtpSink({ host: '127.0.0.1' });
    const child = spawn(process.execPath, ['services/cli/bin/tactful.mjs', 'run'], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        KAFKA_BROKERS: servers.kafkaBrokers.join(','),
        REDIS_URL: servers.redisUrl,
        TACTFUL_NAMESPACE: kafka.namespace,
        TACTFUL_HTTP_PORT: '0',
        TACTFUL_TOPIC_PARTITIONS: '2',
        TACTFUL_SMTP_URL: sink.url,
        TACTFUL_INGEST_TOKEN: 'a-long-enough-ingest-token',
        TACTFUL_LINK_SECRET: 'a-link-secret-of-at-least-32-bytes-0123456789',
        TACTFUL_CONSOLE_TOKEN: 'a-long-enough-console-token',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = await eventually(
        'tactful run to say where it listens',
        () => {
          if (child.exitCode !== null) throw new Error(`tactful run exited ${child.exitCode}:\n${output}`);
          const line = output.split('\n').find((l) => l.includes('"msg":"tactful running"'));
          return line === undefined ? undefined : (JSON.parse(line) as { url: string }).url;
        },
        { timeoutMs: 60_000 },
      );
      await eventually(
        '/readyz to answer 200',
        async () => ((await fetch(`${url}/readyz`)).status === 200 ? true : undefined),
        { timeoutMs: 60_000 },
      );
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      // a file the code reads beside itself (copied into dist/ by the build)
      expect((await fetch(`${url}/openapi.json`)).status).toBe(200);
      expect(output).not.toContain('Limiting retries');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      const topics = (await kafka.admin.listTopics()).filter((t) => t.startsWith(`${kafka.namespace}.`));
      if (topics.length > 0) await kafka.admin.deleteTopics({ topics });
    }
  });
});
