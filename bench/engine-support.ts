// Processes and measurements for bench/engine.ts: a private redis-server (so its CPU and memory are the
// orchestrator's alone on a machine shared with others), the orchestrator as a child process (so its CPU
// is its own), CPU read from /proc, and a watcher of N.commands.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Kafka } from '@tactful/kafka';
import { Redis } from '@tactful/store-redis';
// the one module of @tactful/testing without vitest: its index brings the fixtures, which only run under vitest
import { tactfulArgv } from '../packages/testing/src/tactful-command';

/** CPU time (user + system) of a process so far, in microseconds, from /proc/<pid>/stat. */
export function processCpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // fields after the command name (which may hold spaces) start after the last ')'
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
  return (ticks / 100) * 1e6; // USER_HZ is 100 on Linux
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface OwnRedis {
  readonly url: string;
  readonly pid: number;
  readonly client: Redis;
  usedMemory(): Promise<number>;
  stop(): Promise<void>;
}

/** A redis-server of the bench's own on loopback: no persistence, nothing of anyone else's in it. */
export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tactful-bench-redis-'));
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: 'ignore' },
  );
  // the port answers once the server is ready to serve
  for (let i = 0; !(await accepts(port)); i++) {
    if (i > 100) throw new Error(`redis-server did not open port ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const client = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 3 });
  return {
    url: `redis://127.0.0.1:${port}`,
    pid: child.pid!,
    client,
    async usedMemory() {
      const info = await client.info('memory');
      return Number(/used_memory:(\d+)/.exec(info)?.[1]);
    },
    async stop() {
      client.disconnect();
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

export interface Orchestrator {
  readonly pid: number;
  readonly url: string;
  /** Resolves when `/readyz` answers 200 (the consumer is a member of its group). */
  ready(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Flags for the orchestrator's node from `BENCH_ORCHESTRATOR_NODE_OPTIONS`, e.g. `--cpu-prof
 * --cpu-prof-dir=/tmp/prof` to profile it under the bench's load (written when it exits on SIGTERM).
 */
function nodeFlags(): string[] {
  return (process.env.BENCH_ORCHESTRATOR_NODE_OPTIONS ?? '').split(/\s+/).filter((flag) => flag !== '');
}

/** `tactful run --only orchestrator` as a child process. */
export async function startOrchestrator(root: string, env: Record<string, string>): Promise<Orchestrator> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    // the sources, as the tests run them (`tactfulArgv`): what is measured is the code in the tree
    // node's own flags go before the script: `--cpu-prof` is refused in NODE_OPTIONS
    [...nodeFlags(), ...tactfulArgv(['run', '--only', 'orchestrator'])],
    {
      env: {
        ...process.env,
        ...env,
        TACTFUL_HTTP_PORT: String(port),
        LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
      cwd: root,
    },
  );
  const url = `http://127.0.0.1:${port}`;
  return {
    pid: child.pid!,
    url,
    async ready() {
      for (;;) {
        if (child.exitCode !== null) throw new Error(`the orchestrator exited with ${child.exitCode}`);
        const ok = await fetch(`${url}/readyz`).then(
          (r) => r.status === 200,
          () => false,
        );
        if (ok) return Date.now();
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

/** Every command on N.commands: causing event id → the command's Kafka timestamp (ms). */
export async function watchCommands(kafka: Kafka, topic: string, groupId: string) {
  const times = new Map<string, number>();
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 20 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      for (const message of batch.messages) {
        const value = message.value?.toString() ?? '';
        // the causing event's id, without parsing the whole command
        const causation = /"causationId":"([^"]*)"/.exec(value)?.[1];
        if (causation !== undefined && !times.has(causation)) times.set(causation, Number(message.timestamp));
      }
    },
  });
  return { times, stop: () => consumer.disconnect() };
}

/** Waits until every id has a command; says how far it is every 5 s. */
export async function untilCommands(
  times: ReadonlyMap<string, number>,
  ids: readonly string[],
  say: (line: string) => void,
): Promise<void> {
  let last = Date.now();
  let missing = ids.filter((id) => !times.has(id));
  while (missing.length > 0) {
    await new Promise((r) => setTimeout(r, 50));
    missing = missing.filter((id) => !times.has(id));
    if (Date.now() - last > 5000) {
      last = Date.now();
      say(`${ids.length - missing.length} of ${ids.length} commands so far`);
    }
  }
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
