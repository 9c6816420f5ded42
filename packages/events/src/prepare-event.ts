import type { EncodedEvent } from './cloud-event';
import { encodeEvent } from './cloud-event';
import { DEFAULT_MAX_EVENT_BYTES } from './decode-json';
import type { ParseOptions } from './parse-event';
import { validateEvent } from './parse-event';
import type { Rejection, RejectedResult } from './rejection';
import { reject } from './rejection';
import type { TactfulEvent } from './tactful-event';

/** An event that may be written to `N.events`, with the Kafka message that carries it. */
export type PreparedResult =
  { readonly ok: true; readonly event: TactfulEvent; readonly message: EncodedEvent } | RejectedResult;

/**
 * Pure; never throws. What every writer of `N.events` (the publisher SDK, the ingest API, `tactful
 * publish`) does before sending: `validateEvent` (with its depth limit, before anything serialises the
 * value), then the size check `parseEvent` would apply when the message is read back, so nothing is
 * written that its consumers would dead-letter as too large or too deep.
 */
export function prepareEvent(value: unknown, options: ParseOptions = {}): PreparedResult {
  const result = validateEvent(value, options);
  if (!result.ok) return result;
  const message = encodeEvent(result.event);
  const size = Buffer.byteLength(message.value, 'utf8');
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_EVENT_BYTES;
  if (size > maxBytes) {
    return reject('too_large', `the event is ${size} bytes as JSON, over the limit of ${maxBytes}`);
  }
  return { ok: true, event: result.event, message };
}

/** Why one event of a batch was refused: its position, its `id` when it had a usable one, and the reason. */
export interface EventRejection extends Rejection {
  /** Position in the batch, from 0. */
  readonly index: number;
  readonly id?: string;
}

export interface BatchPreparation {
  /** The valid events, in batch order. */
  readonly prepared: readonly {
    readonly index: number;
    readonly event: TactfulEvent;
    readonly message: EncodedEvent;
  }[];
  /** The invalid ones, in batch order. */
  readonly rejected: readonly EventRejection[];
}

/** Pure; never throws. `prepareEvent` on every value of a batch, keeping the two outcomes apart. */
export function prepareBatch(values: readonly unknown[], options: ParseOptions = {}): BatchPreparation {
  const prepared: BatchPreparation['prepared'][number][] = [];
  const rejected: EventRejection[] = [];
  values.forEach((value, index) => {
    const result = prepareEvent(value, options);
    if (result.ok) prepared.push({ index, event: result.event, message: result.message });
    else rejected.push(rejectionAt(index, value, result.rejection));
  });
  return { prepared, rejected };
}

// Long enough for any valid id (256), short enough that a hostile "id" is not echoed back in full.
const MAX_ECHOED_ID_LENGTH = 256;

/** Pure. A rejection with its position, and the value's `id` when it is a plausible one. */
export function rejectionAt(index: number, value: unknown, rejection: Rejection): EventRejection {
  const id =
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)['id']
      : undefined;
  const usable = typeof id === 'string' && id.length > 0 && id.length <= MAX_ECHOED_ID_LENGTH;
  return usable ? { index, id, ...rejection } : { index, ...rejection };
}
