import { spawn } from 'node:child_process';
import fs from 'node:fs';

/** Starts a server detached from this process (it outlives `npm run infra:up`), output to logFile. */
export function spawnDetached(command: string, args: string[], logFile: string, pidFile: string): number {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(command, args, { detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  child.unref();
  fs.writeFileSync(pidFile, String(child.pid));
  return child.pid;
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readPid(pidFile: string): number | undefined {
  if (!fs.existsSync(pidFile)) return undefined;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** SIGTERM, then wait for the exit; SIGKILL only if it ignores us past graceMs. */
export async function stopPid(pid: number, graceMs: number): Promise<'stopped' | 'killed' | 'not-running'> {
  if (!isRunning(pid)) return 'not-running';
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isRunning(pid)) return 'stopped';
    await new Promise((r) => setTimeout(r, 100));
  }
  process.kill(pid, 'SIGKILL');
  return 'killed';
}

/** SIGKILL, as a crash would, then wait until the process is gone (its ports and files are free again). */
export async function killPid(pid: number, timeoutMs = 10_000): Promise<'killed' | 'not-running'> {
  if (!isRunning(pid)) return 'not-running';
  process.kill(pid, 'SIGKILL');
  const deadline = Date.now() + timeoutMs;
  while (isRunning(pid)) {
    if (Date.now() > deadline) throw new Error(`process ${pid} still runs ${timeoutMs} ms after SIGKILL`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return 'killed';
}

export function tail(file: string, lines = 30): string {
  if (!fs.existsSync(file)) return '(no log yet)';
  return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}
