import { TactfulError } from '@tactful/events';

// Replies Redis gives while it cannot serve for a moment (loading a dump, a busy script, a cluster
// failing over or resharding, out of memory until something is freed): worth retrying with backoff.
const TRANSIENT_REPLIES = ['LOADING', 'BUSY', 'TRYAGAIN', 'CLUSTERDOWN', 'MASTERDOWN', 'OOM', 'READONLY'];

/**
 * Pure. The Tactful error for a failed Redis call. Connection failures and transient replies are
 * `redis.unavailable` and retriable; a refused script call (TACTFUL_INVALID) or any other reply is a bug
 * or damaged data, and retrying would give the same answer. After a retriable failure of a commit the
 * outcome is unknown: retrying the same batch is safe, since an applied one then answers 'duplicate'.
 */
export function storeError(err: unknown, what: string): TactfulError {
  if (err instanceof TactfulError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const isReply = err instanceof Error && err.name === 'ReplyError';
  if (isReply && message.startsWith('TACTFUL_INVALID'))
    return TactfulError.permanent('internal', `${what}: Redis refused the call: ${message}`, err);
  if (isReply && !TRANSIENT_REPLIES.some((prefix) => message.startsWith(prefix)))
    return TactfulError.permanent('internal', `${what}: ${message}`, err);
  return TactfulError.retriable('redis.unavailable', `${what}: ${message}`, err);
}

/** Runs a Redis call and turns its failure into a Tactful error that says what was being done. */
export async function redisCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw storeError(err, what);
  }
}
