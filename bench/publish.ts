// Measures `tactful publish` of generated events against a real broker, in a scratch namespace whose
// topics are deleted afterwards:
//   npx tsx bench/publish.ts [--count 100000] [--batch-size 5000] [--partitions 6]
// Reads KAFKA_BROKERS (default 127.0.0.1:9092). Prints the wall time of the whole command (process start,
// reading, validating, sending, every acknowledgement) and the events/s it implies.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { topicsFor } from '@tactful/events';
import { createKafkaClient, ensureTopics } from '@tactful/kafka';
import { writeEvents } from './gen-events';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '100000' },
    'batch-size': { type: 'string', default: '5000' },
    partitions: { type: 'string', default: '6' },
  },
});
const count = Number(values.count);
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const namespace = `bench-${randomBytes(4).toString('hex')}`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tactful-bench-'));
const file = path.join(dir, 'events.ndjson');

const admin = createKafkaClient({ brokers, clientId: 'tactful-bench' }).admin();
await admin.connect();
const topics = Object.values(topicsFor(namespace));
try {
  await writeEvents({ out: file, count, customers: 5000, invalidEvery: 0, run: namespace });
  const bytes = fs.statSync(file).size;
  await ensureTopics(admin, topics, Number(values.partitions));

  const started = process.hrtime.bigint();
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(
      process.execPath,
      [
        path.join(root, 'services/cli/bin/tactful.mjs'),
        'publish',
        file,
        '--json',
        '--batch-size',
        values['batch-size'],
      ],
      { env: { ...process.env, TACTFUL_NAMESPACE: namespace }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('close', (exit) => {
      const summary = JSON.parse(out) as { sent: number; durationMs: number; eventsPerSecond: number };
      console.log(
        `publish loop (inside the command): ${summary.sent} events in ${summary.durationMs} ms, ${summary.eventsPerSecond} events/s`,
      );
      resolve(exit);
    });
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const end = await admin.fetchTopicOffsets(topicsFor(namespace).events);
  const stored = end.reduce((sum, p) => sum + Number(p.high), 0);
  console.log(
    `tactful publish: ${count} events (${(bytes / 1024 / 1024).toFixed(1)} MiB NDJSON), exit ${code}, ` +
      `${stored} in ${topicsFor(namespace).events}, wall ${(wallMs / 1000).toFixed(2)} s, ` +
      `${Math.round(count / (wallMs / 1000))} events/s`,
  );
} finally {
  await admin
    .deleteTopics({ topics })
    .catch((err: unknown) => console.error(`could not delete ${namespace}'s topics:`, err));
  await admin.disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
}
