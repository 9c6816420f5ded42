import { spawn, type ChildProcess } from 'node:child_process';
import { tactfulArgv } from '@tactful/testing';

// Test support: `tactful run` as a real child process, so a test can SIGKILL it mid-batch or SIGTERM it
// and watch what a crash or a drain does to the system.

export interface ChildStack {
  readonly child: ChildProcess;
  /** Everything the process wrote, for a failing test to show. */
  output(): string;
  /** Resolves with the exit code and signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnTactful(args: string[], env: Record<string, string>): ChildStack {
  const child = spawn(process.execPath, tactfulArgv(args), {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: string[] = [];
  child.stdout?.on('data', (c: Buffer) => chunks.push(c.toString()));
  child.stderr?.on('data', (c: Buffer) => chunks.push(c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => chunks.join(''), exited };
}

/**
 * Resolves once the process has logged that every service started (its ops server listens). It starts
 * from the TypeScript sources (tsx), which on a loaded two-core machine has taken over 30 s.
 */
export function untilRunning(stack: ChildStack, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(`tactful run did not start within ${timeoutMs} ms:\n${stack.output().slice(-3000)}`),
        ),
      timeoutMs,
    );
    const check = (): void => {
      if (stack.output().includes('tactful running')) {
        clearTimeout(timer);
        resolve();
      }
    };
    stack.child.stdout?.on('data', check);
    void stack.exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(
        new Error(
          `tactful run exited (${code ?? signal}) before it started:\n${stack.output().slice(-3000)}`,
        ),
      );
    });
    check();
  });
}
