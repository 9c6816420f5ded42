/**
 * The one error class of Tactful. Whether an error may be retried is a field on the error, and retry
 * loops read it (the kafkajs way); `code` is a closed union so handling can be exhaustive.
 */
export type ErrorCode =
  | 'config.invalid'
  | 'event.invalid'
  | 'journey.invalid'
  | 'policy.invalid'
  | 'kafka.unavailable'
  | 'redis.unavailable'
  | 'store.conflict'
  | 'dlq.write_failed'
  | 'smtp.transient'
  | 'smtp.permanent'
  | 'infra.failed'
  | 'internal';

export class TactfulError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;

  constructor(code: ErrorCode, message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TactfulError';
    this.code = code;
    this.retriable = options.retriable ?? false;
  }

  /** A failure that may pass if the call is made again (a server away for a moment): retried with backoff. */
  static retriable(code: ErrorCode, message: string, cause?: unknown): TactfulError {
    return new TactfulError(
      code,
      message,
      cause === undefined ? { retriable: true } : { retriable: true, cause },
    );
  }

  /** A failure that the same call would meet again: dead-lettered, or it stops the service with the reason. */
  static permanent(code: ErrorCode, message: string, cause?: unknown): TactfulError {
    return new TactfulError(code, message, cause === undefined ? {} : { cause });
  }
}

/** Pure. Ends an exhaustive `switch`: the compiler proves it unreachable. */
export function assertNever(value: never, what = 'value'): never {
  throw new TactfulError('internal', `unexpected ${what}: ${JSON.stringify(value)}`);
}
