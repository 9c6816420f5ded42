import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { eventually } from './poll';

// A real Redis Cluster on loopback for tests that must prove a claim about slots (every key of one
// commit in one slot, scripts routed by ioredis `Cluster`): three (or more) `redis-server` children in a
// temporary directory, joined by `redis-cli --cluster create`, with no replicas and no persistence.

const run = promisify(execFile);

export interface RedisClusterNode {
  host: string;
  port: number;
}

export interface RedisCluster {
  nodes: RedisClusterNode[];
  /** The nodes as `REDIS_URL` spells a cluster: comma-separated `redis://` URLs. */
  url: string;
  /** Where the node configs live; removed by `stop`. */
  dir: string;
  /** Stops every node and removes the directory; safe to call twice. */
  stop(): Promise<void>;
}

export interface RedisClusterOptions {
  /** At least 3 (the smallest cluster `redis-cli --cluster create` builds). Default 3. */
  nodes?: number;
  redisServer?: string;
  redisCli?: string;
  /** How long starting may take before it fails with the nodes' output. Default 30 s. */
  timeoutMs?: number;
}

const HOST = '127.0.0.1';
// Redis Cluster talks between nodes on port + 10000, so both must be free and the port below 55536.
const BUS_OFFSET = 10_000;

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, HOST, () => server.close(() => resolve(true)));
  });
}

async function freeClusterPort(taken: Set<number>): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 35_000);
    if (taken.has(port) || taken.has(port + BUS_OFFSET) || taken.has(port - BUS_OFFSET)) continue;
    if ((await canBind(port)) && (await canBind(port + BUS_OFFSET))) return port;
  }
  throw new Error('found no free port pair (port, port + 10000) on 127.0.0.1 for a Redis Cluster node');
}

interface StartedNode {
  port: number;
  child: ChildProcess;
  /** The last few kilobytes the node printed, for the error message when starting fails. */
  output: () => string;
}

function startNode(redisServer: string, dir: string, port: number): StartedNode {
  const child = spawn(
    redisServer,
    [
      ...['--port', String(port), '--bind', HOST, '--dir', dir],
      ...['--cluster-enabled', 'yes', '--cluster-config-file', path.join(dir, `nodes-${port}.conf`)],
      ...['--appendonly', 'no', '--save', '', '--daemonize', 'no'],
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('error', (err) => keep(Buffer.from(`\n${err.message}\n`)));
  return { port, child, output: () => output };
}

async function stopNode(node: StartedNode): Promise<void> {
  const { child } = node;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(killer);
}

async function cli(redisCli: string, port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run(redisCli, ['-h', HOST, '-p', String(port), ...args], { timeout: 10_000 });
  return stdout;
}

/** Starts a Redis Cluster on loopback and resolves once every node reports `cluster_state:ok`. */
export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisCluster> {
  const count = options.nodes ?? 3;
  const redisServer = options.redisServer ?? 'redis-server';
  const redisCli = options.redisCli ?? 'redis-cli';
  const timeoutMs = options.timeoutMs ?? 30_000;
  if (count < 3) throw new Error(`a Redis Cluster needs at least 3 masters, got ${count}`);

  const dir = await mkdtemp(path.join(os.tmpdir(), 'tactful-redis-cluster-'));
  const nodes: StartedNode[] = [];
  // a test process that dies without running its hooks must not leave servers behind
  const killAll = (): void => nodes.forEach((n) => n.child.kill('SIGKILL'));
  process.once('exit', killAll);
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', killAll);
    await Promise.all(nodes.map(stopNode));
    await rm(dir, { recursive: true, force: true });
  };

  try {
    const taken = new Set<number>();
    for (let i = 0; i < count; i++) {
      const port = await freeClusterPort(taken);
      taken.add(port);
      nodes.push(startNode(redisServer, dir, port));
    }
    const alive = (): void => {
      const dead = nodes.find((n) => n.child.exitCode !== null || n.child.signalCode !== null);
      if (dead) throw new Error(`redis-server on port ${dead.port} exited:\n${dead.output()}`);
    };
    for (const node of nodes)
      await eventually(
        `redis-server on port ${node.port} to answer PING`,
        async () => {
          alive();
          return (await cli(redisCli, node.port, 'ping')).trim() === 'PONG' ? true : undefined;
        },
        { timeoutMs },
      );
    await run(
      redisCli,
      [
        '--cluster',
        'create',
        ...nodes.map((n) => `${HOST}:${n.port}`),
        ...['--cluster-replicas', '0', '--cluster-yes'],
      ],
      { timeout: timeoutMs },
    );
    // every node must know every slot before a client is handed the cluster, or early commands MOVE around
    for (const node of nodes)
      await eventually(
        `node ${node.port} to report cluster_state:ok`,
        async () => {
          alive();
          const info = await cli(redisCli, node.port, 'cluster', 'info');
          const ok =
            info.includes('cluster_state:ok') &&
            info.includes('cluster_slots_assigned:16384') &&
            info.includes(`cluster_known_nodes:${count}`);
          return ok ? true : undefined;
        },
        { timeoutMs },
      );
  } catch (err) {
    const output = nodes.map((n) => `--- redis-server ${n.port}\n${n.output()}`).join('\n');
    await stop();
    throw new Error(`starting a Redis Cluster in ${dir} failed: ${String(err)}\n${output}`, { cause: err });
  }

  const clusterNodes = nodes.map((n) => ({ host: HOST, port: n.port }));
  return {
    nodes: clusterNodes,
    url: clusterNodes.map((n) => `redis://${n.host}:${n.port}`).join(','),
    dir,
    stop,
  };
}
