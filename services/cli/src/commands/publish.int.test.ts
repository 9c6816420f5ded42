import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { EXAMPLE_EVENTS, parseEvent } from '@tactful/events';
import { tactfulArgv, test } from '@tactful/testing';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function tactful(args: string[], env: Record<string, string>, stdin?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      tactfulArgv(args),
      { env: { ...process.env, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
    if (stdin !== undefined) child.stdin?.end(stdin);
  });
}

const event = (i: number) => ({ ...EXAMPLE_EVENTS['page.viewed'], id: `evt-${i}`, subject: `cust-${i % 7}` });

describe('tactful publish', () => {
  test('NDJSON with bad lines: sends the good ones, lists the bad ones by line, exits 1', async ({
    kafka,
  }) => {
    const [topic] = await kafka.createTopics(['events'], 3);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tactful-publish-'));
    const file = path.join(dir, 'events.ndjson');
    const lines = Array.from({ length: 300 }, (_, i) => JSON.stringify(event(i)));
    lines[41] = '{"id": "evt-41", "truncated';
    lines[99] = JSON.stringify({ ...event(99), type: 'timer.fired' });
    fs.writeFileSync(file, lines.join('\n') + '\n');
    try {
      const env = { KAFKA_BROKERS: kafka.brokers.join(','), TACTFUL_NAMESPACE: kafka.namespace };
      const run = await tactful(['publish', file, '--json', '--batch-size', '64'], env);
      expect(run.code, run.stderr).toBe(1);
      const summary = JSON.parse(run.stdout) as {
        sent: number;
        read: number;
        format: string;
        rejected: unknown[];
      };
      expect(summary).toMatchObject({ ok: false, format: 'ndjson', read: 300, sent: 298 });
      expect(summary.rejected).toEqual([
        { index: 41, line: 42, reason: 'invalid_json', message: expect.any(String) },
        {
          index: 99,
          line: 100,
          id: 'evt-99',
          reason: 'internal_type',
          message: expect.any(String),
          path: 'type',
        },
      ]);

      const messages = await kafka.readMessages(topic!, 298);
      const ids = messages.map((m) => {
        const parsed = parseEvent(m.value, m.key);
        if (!parsed.ok) throw new Error(parsed.rejection.message);
        return parsed.event.id;
      });
      expect(new Set(ids).size).toBe(298);
      expect(ids).not.toContain('evt-41');
      expect(ids).not.toContain('evt-99');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a JSON array from stdin: all sent, a text summary, exit 0', async ({ kafka }) => {
    const [topic] = await kafka.createTopics(['events'], 1);
    const env = { KAFKA_BROKERS: kafka.brokers.join(','), TACTFUL_NAMESPACE: kafka.namespace };
    const input = JSON.stringify(
      Array.from({ length: 20 }, (_, i) => event(i)),
      null,
      2,
    );
    const run = await tactful(['publish', '-'], env, input);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^20 of 20 events sent, 0 rejected/);
    const messages = await kafka.readMessages(topic!, 20);
    expect(messages.map((m) => JSON.parse(m.value!.toString()).id)).toEqual(
      Array.from({ length: 20 }, (_, i) => `evt-${i}`),
    );
  });

  test('a namespace without topics: a clear error, nothing read', async ({ kafka }) => {
    const env = { KAFKA_BROKERS: kafka.brokers.join(','), TACTFUL_NAMESPACE: kafka.namespace };
    const run = await tactful(['publish', '-'], env, JSON.stringify(event(1)));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(`${kafka.namespace}\\.events does not exist.*tactful topics create`),
    );
  });
});
