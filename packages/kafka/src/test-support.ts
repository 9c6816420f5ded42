// Shared by this package's tests only (not exported from index.ts).
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '@tactful/observability';

/** A logger that drops every line; tests assert on effects, not on log output. */
export function silentLogger(): Logger {
  return createLogger({ level: 'silent', name: 'test' }, new Writable({ write: (_c, _e, done) => done() }));
}
