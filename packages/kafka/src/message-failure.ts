import { TactfulError } from '@tactful/events';

/**
 * The `tactful-error` of a message whose handler threw for a reason that is not transient (see
 * `isTransientError`): the message is in `N.dlq` and the consumer went on without it.
 */
export const PROCESSING_FAILED = 'processing_failed';

/**
 * A batch handler's answer for one item it could not apply, for a reason of the item's own (anything
 * `isTransientError` does not call transient). The loop dead-letters the item as `processing_failed`;
 * the other items' answers stand.
 */
export interface ItemFailure {
  readonly failed: unknown;
}

/** Pure. */
export function itemFailure(error: unknown): ItemFailure {
  return { failed: error };
}

/** Pure. */
export function isItemFailure(outcome: unknown): outcome is ItemFailure {
  return typeof outcome === 'object' && outcome !== null && 'failed' in outcome;
}

// An error's name is its class; a hostile one could still be long.
const MAX_NAME_LENGTH = 100;

/**
 * Pure. The `tactful-error-message` of a failed message: the kind of error (a TactfulError with its
 * code, else the error's class), never the error's own message, which may quote the content; the error
 * itself is in the consumer's log, under the same topic, partition and offset.
 */
export function failureMessage(err: unknown, component: string): string {
  const kind =
    err instanceof TactfulError
      ? `TactfulError ${err.code}`
      : err instanceof Error
        ? err.name.slice(0, MAX_NAME_LENGTH)
        : `a thrown ${typeof err}`;
  return `handling the message failed with ${kind}; the error is in the log of ${component} at this source offset`;
}
