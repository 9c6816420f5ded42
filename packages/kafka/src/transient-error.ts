import { TactfulError } from '@tactful/events';

// The broker refusing one record: about the message, so retrying it can only fail again.
const RECORD_REFUSALS = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'CORRUPT_MESSAGE',
  'INVALID_TIMESTAMP',
]);

// ioredis's errors for a connection that is gone or never came (the store wraps its calls, so these
// reach a consumer only from a client used directly).
const REDIS_CONNECTION_ERRORS = new Set(['MaxRetriesPerRequestError', 'ClusterAllFailedError']);
const REDIS_CLOSED = 'Connection is closed.';

// Node's socket errors: a server that is away, not a message that is wrong.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

const MAX_CAUSES = 10;

/**
 * Pure. Whether an error thrown while handling one message says that something the consumer depends on
 * is away for now (retry the same message later, never move past it) rather than that this message
 * cannot be handled (dead-letter it and go on):
 * - a `TactfulError` says so itself (`retriable`);
 * - kafkajs's errors are about connections, the cluster or the group, whatever kafkajs calls them, except
 *   the broker refusing a record (too large, invalid), which is the message's;
 * - ioredis's connection errors and Node's socket errors (ECONNREFUSED, ...).
 * Anything else (a RangeError, a TypeError, a zod error, a non-retriable `TactfulError`) is the message's.
 */
export function isTransientError(err: unknown): boolean {
  if (err instanceof TactfulError) return err.retriable;
  if (!(err instanceof Error)) return false;
  if (err.name.startsWith('KafkaJS')) return !refusesRecord(err);
  if (REDIS_CONNECTION_ERRORS.has(err.name) || err.message === REDIS_CLOSED) return true;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && NETWORK_CODES.has(code);
}

/** Pure. Whether the broker refused a record as too large (`MESSAGE_TOO_LARGE`, `RECORD_LIST_TOO_LARGE`). */
export function isRecordTooLarge(err: unknown): boolean {
  return protocolTypes(err).some((type) => type === 'MESSAGE_TOO_LARGE' || type === 'RECORD_LIST_TOO_LARGE');
}

function refusesRecord(err: Error): boolean {
  return protocolTypes(err).some((type) => RECORD_REFUSALS.has(type));
}

// kafkajs wraps the broker's answer (`type`) in retry errors, through `cause` or `originalError`.
function protocolTypes(err: unknown): string[] {
  const types: string[] = [];
  let at: unknown = err;
  for (let i = 0; i < MAX_CAUSES && typeof at === 'object' && at !== null; i++) {
    const { type, cause, originalError } = at as { type?: unknown; cause?: unknown; originalError?: unknown };
    if (typeof type === 'string') types.push(type);
    at = cause ?? originalError;
  }
  return types;
}
