import { EventEmitter } from 'node:events';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { runUntilSignal, type ProcessLike } from './run-until-signal';

// A process whose signals the test raises and whose exit it records (the real one would end the runner).
function fakeProcess(): ProcessLike & { raise(signal: 'SIGTERM' | 'SIGINT'): void; exited: Promise<number> } {
  const signals = new EventEmitter();
  let exit!: (code: number) => void;
  const exited = new Promise<number>((resolve) => (exit = resolve));
  return {
    once: (event, listener) => signals.once(event, listener),
    exit: (code) => exit(code),
    raise: (signal) => void signals.emit(signal),
    exited,
  };
}

const logger = pino({ level: 'silent' });

describe('runUntilSignal', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('on %s closes once and exits 0', async (signal) => {
    const proc = fakeProcess();
    let closes = 0;
    runUntilSignal({ logger, close: async () => void closes++, deadlineMs: 60_000, process: proc });
    proc.raise(signal);
    proc.raise(signal === 'SIGTERM' ? 'SIGINT' : 'SIGTERM');
    expect(await proc.exited).toBe(0);
    expect(closes).toBe(1);
  });

  it('when a service stops on its own, closes the rest and exits 1', async () => {
    const proc = fakeProcess();
    let closes = 0;
    runUntilSignal({
      logger,
      close: async () => void closes++,
      deadlineMs: 60_000,
      failed: Promise.resolve(new Error('the consumer crashed')),
      process: proc,
    });
    expect(await proc.exited).toBe(1);
    expect(closes).toBe(1);
  });

  it('exits 1 when closing fails', async () => {
    const proc = fakeProcess();
    runUntilSignal({
      logger,
      close: () => Promise.reject(new Error('broker away')),
      deadlineMs: 60_000,
      process: proc,
    });
    proc.raise('SIGTERM');
    expect(await proc.exited).toBe(1);
  });

  it('exits 1 at the deadline when closing never ends', async () => {
    const proc = fakeProcess();
    runUntilSignal({ logger, close: () => new Promise(() => {}), deadlineMs: 10, process: proc });
    proc.raise('SIGTERM');
    expect(await proc.exited).toBe(1);
  });
});
