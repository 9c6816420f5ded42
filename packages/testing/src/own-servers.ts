import { existsSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  canConnect,
  kafkaLayoutAt,
  killKafka,
  killRedis,
  redisLayoutAt,
  startKafka,
  startRedis,
  stopKafka,
  stopRedis,
} from '@tactful/infra';

// A Kafka broker and a Redis of a test's own, on free loopback ports and in a temporary folder, for the
// tests that crash servers on purpose: SIGKILL, restart on the same port and data, stop. The shared servers
// of `npm run infra:up` (9092, 6379) are never touched. The handles work from any process: a vitest global
// setup starts the servers, hands their `OwnServersSpec` to the test workers, and a worker kills and
// restarts them through the pid files.

const HOST = '127.0.0.1';

/** Where a test's own servers live: plain data, so a global setup can hand it to test workers. */
export interface OwnServersSpec {
  readonly dir: string;
  readonly kafka: {
    readonly port: number;
    readonly controllerPort: number;
    /** Broker properties over the project's template (written again at every start). */
    readonly properties?: Readonly<Record<string, string>>;
  };
  readonly redis: { readonly port: number };
}

export interface OwnServer {
  /** SIGKILL, as a crash would; resolves once the process is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data (or for the first time); resolves once it accepts connections. */
  start(): Promise<void>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
  /** Whether it accepts connections now. */
  answers(): Promise<boolean>;
}

export interface OwnServers {
  readonly spec: OwnServersSpec;
  readonly kafka: OwnServer & { readonly brokers: string[] };
  readonly redis: OwnServer & { readonly url: string };
  /** Stops both and removes the folder. */
  close(): Promise<void>;
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, HOST, () => server.close(() => resolve(true)));
  });
}

/** A loopback port nobody listens on, away from the shared servers' and from the ephemeral range. */
export async function freePort(taken: ReadonlySet<number> = new Set()): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (!taken.has(port) && (await canBind(port))) return port;
  }
  throw new Error(`found no free port on ${HOST}`);
}

const quiet = (): void => undefined;

/**
 * SIGKILLs whatever runs of the servers of `spec` and removes their folder, synchronously, for an `exit`
 * handler: the servers are detached (they outlive whoever restarted them), so a test run that is
 * interrupted must not leave them.
 */
export function killOwnServersNow(spec: OwnServersSpec): void {
  for (const pidFile of [
    path.join(spec.dir, 'kafka', 'kafka.pid'),
    path.join(spec.dir, 'redis', 'redis.pid'),
  ]) {
    if (!existsSync(pidFile)) continue;
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    try {
      process.kill(pid, 'SIGKILL');
    } catch (err) {
      // already gone is what we want; anything else is a real problem
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  }
  rmSync(spec.dir, { recursive: true, force: true });
}

/** The handles of servers described by `spec` (started or not), from any process. */
export function ownServersAt(spec: OwnServersSpec): OwnServers {
  const { properties, ...ports } = spec.kafka;
  const kafkaLayout = kafkaLayoutAt(path.join(spec.dir, 'kafka'), ports, properties ? { properties } : {});
  const redisLayout = redisLayoutAt(path.join(spec.dir, 'redis'), spec.redis.port, {
    appendfsync: 'always',
  });
  const kafka = {
    brokers: [`${HOST}:${spec.kafka.port}`],
    kill: async () => void (await killKafka(kafkaLayout)),
    start: async () => void (await startKafka(kafkaLayout, quiet)),
    stop: () => stopKafka(kafkaLayout, quiet),
    answers: () => canConnect(HOST, spec.kafka.port),
  };
  const redis = {
    url: `redis://${HOST}:${spec.redis.port}`,
    kill: async () => void (await killRedis(redisLayout)),
    start: async () => void (await startRedis(redisLayout, quiet)),
    stop: () => stopRedis(redisLayout, quiet),
    answers: () => canConnect(HOST, spec.redis.port),
  };
  return {
    spec,
    kafka,
    redis,
    async close() {
      await Promise.all([kafka.stop(), redis.stop()]);
      await rm(spec.dir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts a broker (KRaft, the project's pinned version) and a Redis (append-only file synced on every
 * write, so a restart after SIGKILL keeps every acknowledged write) of the caller's own.
 */
export async function startOwnServers(
  options: { brokerProperties?: Readonly<Record<string, string>> } = {},
): Promise<OwnServers> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tactful-own-servers-'));
  const taken = new Set<number>();
  const pick = async (): Promise<number> => {
    const port = await freePort(taken);
    taken.add(port);
    return port;
  };
  const spec: OwnServersSpec = {
    dir,
    kafka: {
      port: await pick(),
      controllerPort: await pick(),
      ...(options.brokerProperties ? { properties: options.brokerProperties } : {}),
    },
    redis: { port: await pick() },
  };
  const servers = ownServersAt(spec);
  try {
    await Promise.all([servers.kafka.start(), servers.redis.start()]);
  } catch (err) {
    await servers.close();
    throw err;
  }
  return servers;
}
