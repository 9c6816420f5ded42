// Start-up time of `tactful run`: the compiled code run by plain node (the bin, as the image runs it)
// against the TypeScript sources run through tsx (`npm run tactful`), alternating, on the real broker and
// Redis, each run in a namespace of its own (its topics deleted afterwards). Measured from the spawn to
// the log line "tactful running" (every service started, the HTTP server listening) and to the first
// `/readyz` 200, and, without Kafka or Redis, `tactful --version` (loading the code alone).
//   npm run build && npx tsx bench/startup.ts [--runs 5] [--only orchestrator,scheduler,sentinel,gateway,console]
// Reads KAFKA_BROKERS and REDIS_URL. Prints one JSON document.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createKafkaClient } from '@tactful/kafka';

const root = path.resolve(import.meta.dirname, '..');
const BIN = path.join(root, 'services/cli/bin/tactful.mjs');
const VARIANTS = {
  built: [BIN],
  tsx: ['--conditions=tactful-source', '--import', 'tsx', BIN],
} as const;

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    only: { type: 'string', default: 'orchestrator,scheduler,sentinel,gateway,console' },
  },
});
const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';

function time(args: string[], env: Record<string, string>, until: (out: string) => boolean): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env } });
  let out = '';
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (!until(out)) return;
      const ms = performance.now() - started;
      child.kill('SIGTERM');
      resolve(ms);
    };
    child.stdout.on('data', (c: Buffer) => ((out += c.toString()), check()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => {
      if (!until(out)) reject(new Error(`exited ${code} before it started:\n${out.slice(-2000)}`));
    });
  });
}

async function runOnce(variant: readonly string[]): Promise<{ running: number; ready: number }> {
  const namespace = `bench-startup-${randomBytes(3).toString('hex')}`;
  const env = { TACTFUL_NAMESPACE: namespace, TACTFUL_HTTP_PORT: '0', TACTFUL_TOPIC_PARTITIONS: '2' };
  const started = performance.now();
  const child = spawn(process.execPath, [...variant, 'run', '--only', values.only], {
    cwd: root,
    env: { ...process.env, ...env },
  });
  let out = '';
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const line = out.split('\n').find((l) => l.includes('"msg":"tactful running"'));
        if (line !== undefined) resolve((JSON.parse(line) as { url: string }).url);
      });
      void exited.then(() => reject(new Error(`exited before it started:\n${out.slice(-2000)}`)));
    });
    const running = performance.now() - started;
    for (;;) {
      const status = await fetch(`${url}/readyz`).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return { running, ready: performance.now() - started };
  } finally {
    child.kill('SIGTERM');
    await exited;
    const admin = createKafkaClient({ brokers: brokers.split(','), clientId: 'bench-startup' }).admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${namespace}.`));
    if (topics.length > 0) await admin.deleteTopics({ topics });
    await admin.disconnect();
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const results: Record<string, { version: number[]; running: number[]; ready: number[] }> = {
  built: { version: [], running: [], ready: [] },
  tsx: { version: [], running: [], ready: [] },
};
for (let i = 0; i < Number(values.runs); i += 1) {
  for (const [name, variant] of Object.entries(VARIANTS)) {
    results[name]!.version.push(
      await time([...variant, '--version'], {}, (out) => /\d+\.\d+\.\d+/.test(out)),
    );
    const { running, ready } = await runOnce(variant);
    results[name]!.running.push(running);
    results[name]!.ready.push(ready);
  }
}
console.log(
  JSON.stringify(
    {
      runs: Number(values.runs),
      only: values.only,
      medianMs: Object.fromEntries(
        Object.entries(results).map(([name, r]) => [
          name,
          {
            version: Math.round(median(r.version)),
            running: Math.round(median(r.running)),
            ready: Math.round(median(r.ready)),
          },
        ]),
      ),
      allMs: Object.fromEntries(
        Object.entries(results).map(([name, r]) => [
          name,
          Object.fromEntries(Object.entries(r).map(([k, xs]) => [k, xs.map((x) => Math.round(x))])),
        ]),
      ),
    },
    null,
    2,
  ),
);
