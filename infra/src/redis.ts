import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { canConnect, waitFor } from './net';
import { isRunning, killPid, readPid, spawnDetached, stopPid, tail } from './process';

export interface RedisLayout {
  port: number;
  home: string;
  logFile: string;
  pidFile: string;
  /** How often the append-only file is synced: `always` loses no acknowledged write to a SIGKILL. */
  appendfsync: 'always' | 'everysec';
}

export function redisLayout(dir: string, env: NodeJS.ProcessEnv = process.env): RedisLayout {
  const home = path.join(dir, 'redis');
  return {
    port: Number(env.TACTFUL_REDIS_PORT ?? 6379),
    home,
    logFile: path.join(home, 'redis.log'),
    pidFile: path.join(home, 'redis.pid'),
    appendfsync: 'everysec',
  };
}

/** A Redis of its own in `home` (append-only file, log, pid file) on `port`, for a test that kills it. */
export function redisLayoutAt(
  home: string,
  port: number,
  options: { appendfsync?: RedisLayout['appendfsync'] } = {},
): RedisLayout {
  return {
    port,
    home,
    logFile: path.join(home, 'redis.log'),
    pidFile: path.join(home, 'redis.pid'),
    appendfsync: options.appendfsync ?? 'always',
  };
}

type Say = (line: string) => void;

function which(command: string): string | undefined {
  const result = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/** Debian's redis-server, installed with apt-get when it is missing and we may (root). */
export function ensureRedisServer(say: Say): string {
  const found = which('redis-server');
  if (found) return found;
  if (process.getuid?.() !== 0) {
    throw new Error(
      'redis-server is not installed. Install it with `sudo apt-get install -y redis-server` ' +
        '(or set REDIS_URL to a Redis you run).',
    );
  }
  say('redis: installing redis-server with apt-get');
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'redis-server'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  const installed = which('redis-server');
  if (!installed) throw new Error('apt-get installed redis-server but it is not on PATH');
  return installed;
}

export interface RedisStatus {
  listening: boolean;
  pid?: number;
  ours: boolean;
}

export async function redisStatus(layout: RedisLayout): Promise<RedisStatus> {
  const pid = readPid(layout.pidFile);
  const ours = pid !== undefined && isRunning(pid);
  return { listening: await canConnect('127.0.0.1', layout.port), ours, ...(ours ? { pid } : {}) };
}

export async function startRedis(layout: RedisLayout, say: Say): Promise<'started' | 'reused'> {
  const status = await redisStatus(layout);
  if (status.listening) {
    say(`redis: reusing the server on 127.0.0.1:${layout.port}${status.ours ? ` (pid ${status.pid})` : ''}`);
    return 'reused';
  }
  const binary = ensureRedisServer(say);
  fs.mkdirSync(layout.home, { recursive: true });
  say(`redis: starting on 127.0.0.1:${layout.port}, log ${layout.logFile}`);
  const pid = spawnDetached(
    binary,
    [
      '--bind',
      '127.0.0.1',
      '--port',
      String(layout.port),
      '--dir',
      layout.home,
      // state survives a restart of the server: the engine keeps customers' state here
      '--appendonly',
      'yes',
      '--appendfsync',
      layout.appendfsync,
      '--save',
      '',
      '--daemonize',
      'no',
    ],
    layout.logFile,
    layout.pidFile,
  );
  const outcome = await waitFor(() => canConnect('127.0.0.1', layout.port), {
    timeoutMs: 15_000,
    isAlive: () => isRunning(pid),
  });
  if (outcome !== 'ready') {
    throw new Error(
      `redis did not become ready (${outcome}).\nlog: ${layout.logFile}\n${tail(layout.logFile)}`,
    );
  }
  say(`redis: ready (pid ${pid})`);
  return 'started';
}

export async function stopRedis(layout: RedisLayout, say: Say): Promise<void> {
  const pid = readPid(layout.pidFile);
  if (pid === undefined) {
    say('redis: not started by us');
    return;
  }
  const outcome = await stopPid(pid, 10_000);
  fs.rmSync(layout.pidFile, { force: true });
  say(`redis: ${outcome === 'not-running' ? 'was not running' : outcome} (pid ${pid})`);
}

/** SIGKILLs the Redis started in this layout, as a crash would, and waits until it is gone. */
export async function killRedis(layout: RedisLayout): Promise<'killed' | 'not-running'> {
  const pid = readPid(layout.pidFile);
  return pid === undefined ? 'not-running' : killPid(pid);
}
