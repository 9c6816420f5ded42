import type { Logger } from 'pino';

/** What ends a process: the signals it listens to, and its exit. The real `process` unless a test passes one. */
export interface ProcessLike {
  once(event: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
  exit(code: number): void;
}

export interface RunUntilSignalOptions {
  readonly logger: Logger;
  /** Stops what the entry point started (servers first, then consumers and producers); resolves when done. */
  readonly close: () => Promise<void>;
  /** Past this, a shutdown still waiting (a stuck request, an unreachable broker) is abandoned: exit 1. */
  readonly deadlineMs: number;
  /** Resolves when a service stops on its own: the process then shuts down and exits 1. */
  readonly failed?: Promise<Error>;
  readonly process?: ProcessLike;
}

/**
 * The end of every entry point (`tactful run`, each service's `main.ts`): on SIGTERM or SIGINT, or when a
 * service stops on its own, close everything and exit (0 after a signal, 1 after a failure, a failed
 * close or the deadline). A second signal or failure during the shutdown changes nothing: the drain in
 * progress is not started again.
 */
export function runUntilSignal(options: RunUntilSignalOptions): void {
  const { logger, close, deadlineMs } = options;
  const proc = options.process ?? process;
  let closing = false;
  const shutdown = (reason: string, code: number): void => {
    if (closing) {
      logger.info({ reason }, 'already shutting down');
      return;
    }
    closing = true;
    logger.info({ reason }, 'shutting down');
    setTimeout(() => {
      logger.error({ deadlineMs }, 'shutdown did not finish in time; exiting');
      proc.exit(1);
    }, deadlineMs).unref();
    close().then(
      () => proc.exit(code),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        proc.exit(1);
      },
    );
  };
  proc.once('SIGTERM', () => shutdown('SIGTERM', 0));
  proc.once('SIGINT', () => shutdown('SIGINT', 0));
  void options.failed?.then((err) => {
    logger.error({ err }, 'a service stopped');
    shutdown(`a service stopped: ${err.message}`, 1);
  });
}
