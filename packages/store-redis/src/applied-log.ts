import { hash } from 'node:crypto';
import type { EventPosition } from '@tactful/events';

// What guards a customer against applying one event twice (README.md, "Duplicates"), in bounded space:
//   - per partition of N.events, the offset of the newest event applied: a redelivery (a rebalance, a
//     crash before the offset commit) comes again at an offset at or below it;
//   - the hashes of the last few event ids applied: the same event written again at a new offset (a
//     producer retry, an ingest retry after a 503, a timer fired twice) is almost always right behind
//     the first.

export type { EventPosition } from '@tactful/events';

export interface AppliedLog {
  /** Partition → offset of the newest event applied from it. */
  readonly offsets: Map<number, number>;
  /** 8 bytes of SHA-1 of each recent event id, oldest first. */
  recent: Buffer;
}

/** Bytes kept of each event id's SHA-1: a false match needs 2^64 tries, an event is never taken for another. */
export const EVENT_HASH_BYTES = 8;

/** Pure. A log with nothing applied. */
export function emptyAppliedLog(): AppliedLog {
  return { offsets: new Map(), recent: Buffer.alloc(0) };
}

/** Pure. The hash an event id is remembered by. */
export function eventIdHash(eventId: string): Buffer {
  return hash('sha1', eventId, 'buffer').subarray(0, EVENT_HASH_BYTES);
}

function inRecent(log: AppliedLog, hash: Buffer): boolean {
  for (let at = 0; at + EVENT_HASH_BYTES <= log.recent.length; at += EVENT_HASH_BYTES)
    if (log.recent.compare(hash, 0, EVENT_HASH_BYTES, at, at + EVENT_HASH_BYTES) === 0) return true;
  return false;
}

/**
 * Pure. Why an event counts as applied already: `offset` (it comes from a position at or before the
 * newest one applied from its partition), `recent` (its id is among the last ones applied), or false.
 */
export function appliedBefore(
  log: AppliedLog,
  eventId: string,
  position?: EventPosition,
): 'offset' | 'recent' | false {
  if (position !== undefined) {
    const newest = log.offsets.get(position.partition);
    if (newest !== undefined && Number(position.offset) <= newest) return 'offset';
  }
  return inRecent(log, eventIdHash(eventId)) ? 'recent' : false;
}

/** Pure. The log after applying one more event: its offset, and its id among the newest `window`. */
export function withApplied(
  log: AppliedLog,
  eventId: string,
  position: EventPosition | undefined,
  window: number,
): AppliedLog {
  const offsets = new Map(log.offsets);
  if (position !== undefined) {
    const offset = Number(position.offset);
    if (offset > (offsets.get(position.partition) ?? -1)) offsets.set(position.partition, offset);
  }
  const recent = Buffer.concat([log.recent, eventIdHash(eventId)]);
  const keep = window * EVENT_HASH_BYTES;
  return { offsets, recent: recent.length > keep ? recent.subarray(recent.length - keep) : recent };
}
