import { TactfulError } from '@tactful/events';
import { emptyAppliedLog, type AppliedLog } from './applied-log';
import type { Timer } from './types';
import { packValue, unpackValue } from './value-codec';

// The customer record: one Redis string per customer (README.md, "The customer record"). Its bytes are
// the version in ASCII digits, a `:`, then one value in the compact form of value-codec.ts:
//   [ state | null, ledger (template names), timers as [id, dueAt, journey, version, payload],
//     applied offsets as [partition, offset, ...], recent event id hashes (bytes), copies ]
// `copies` says which fields of the state were left out because the record holds them already: bit 1,
// `customerId` (the record's own customer); bit 2, `templatesSent` (equal to the ledger).
// One value, so a string that appears in the state and in a timer (a timer id, a journey id) or in the
// ledger is stored once. The version comes first in plain digits so the commit script can compare it
// with GETRANGE, without reading the rest.

/** What one record holds (the version is kept beside it). */
export interface CustomerRecord {
  state: unknown;
  ledger: string[];
  timers: Timer[];
  applied: AppliedLog;
}

const COLON = 0x3a;

const COPY_CUSTOMER_ID = 1;
const COPY_TEMPLATES_SENT = 2;

/** Pure. The state without the fields the record holds anyway, and which were left out. */
function withoutCopies(state: unknown, customerId: string, ledger: readonly string[]): [unknown, number] {
  if (state === null || typeof state !== 'object' || Array.isArray(state)) return [state, 0];
  const rest: Record<string, unknown> = { ...(state as Record<string, unknown>) };
  let copies = 0;
  if (rest.customerId === customerId) {
    delete rest.customerId;
    copies |= COPY_CUSTOMER_ID;
  }
  // kept only when in the same order as the ledger (sorted), so the state reads back exactly as written
  if (Array.isArray(rest.templatesSent) && JSON.stringify(rest.templatesSent) === JSON.stringify(ledger)) {
    delete rest.templatesSent;
    copies |= COPY_TEMPLATES_SENT;
  }
  return [rest, copies];
}

function withCopies(state: unknown, copies: number, customerId: string, ledger: readonly string[]): unknown {
  if (copies === 0 || state === null || typeof state !== 'object') return state;
  return {
    ...((copies & COPY_CUSTOMER_ID) !== 0 ? { customerId } : {}),
    ...(state as Record<string, unknown>),
    ...((copies & COPY_TEMPLATES_SENT) !== 0 ? { templatesSent: [...ledger] } : {}),
  };
}

/** Pure. The bytes of `customerId`'s record at `version`; the ledger is stored sorted. */
export function encodeRecord(version: number, record: CustomerRecord, customerId: string): Buffer {
  const ledger = [...record.ledger].sort();
  const [state, copies] = withoutCopies(record.state ?? null, customerId, ledger);
  const timers = record.timers.map((t) => [t.id, t.dueAt, t.journey, t.journeyVersion, t.payload ?? null]);
  const offsets = [...record.applied.offsets].flat();
  let body: Buffer;
  try {
    body = packValue([state, ledger, timers, offsets, record.applied.recent, copies]);
  } catch (err) {
    throw new TactfulError('internal', `the record of ${customerId} cannot be stored`, { cause: err });
  }
  return Buffer.concat([Buffer.from(`${version}:`, 'latin1'), body]);
}

function damaged(customerId: string, what: string, cause?: unknown): TactfulError {
  return new TactfulError('internal', `the record of ${customerId} is damaged: ${what}`, { cause });
}

/** Pure. Only the version of a record's bytes. */
export function recordVersion(bytes: Buffer, customerId: string): number {
  const colon = bytes.indexOf(COLON);
  const version = colon > 0 ? Number(bytes.subarray(0, colon).toString('latin1')) : NaN;
  if (!Number.isSafeInteger(version) || version < 1) throw damaged(customerId, 'no version');
  return version;
}

function timerOf(customerId: string, raw: unknown): Timer {
  if (!Array.isArray(raw) || raw.length !== 5) throw damaged(customerId, 'a timer is not a 5-tuple');
  const [id, dueAt, journey, journeyVersion, payload] = raw as unknown[];
  if (typeof id !== 'string' || typeof dueAt !== 'number' || typeof journey !== 'string')
    throw damaged(customerId, 'a timer has the wrong types');
  if (typeof journeyVersion !== 'number') throw damaged(customerId, 'a timer has no journey version');
  const timer: Timer = { id, customerId, journey, journeyVersion, dueAt };
  if (payload !== null) timer.payload = payload;
  return timer;
}

/** Pure. The version and the record in `bytes` (what `encodeRecord` wrote). */
export function decodeRecord(bytes: Buffer, customerId: string): { version: number; record: CustomerRecord } {
  const version = recordVersion(bytes, customerId);
  const parts = unpackValue(bytes.subarray(bytes.indexOf(COLON) + 1));
  if (!Array.isArray(parts) || parts.length !== 6) throw damaged(customerId, 'not a 6-part record');
  const [state, ledger, timers, offsets, recent, copies] = parts as unknown[];
  if (!Array.isArray(ledger) || !ledger.every((t) => typeof t === 'string'))
    throw damaged(customerId, 'the ledger is not a list of templates');
  if (!Array.isArray(timers) || !Array.isArray(offsets) || !(recent instanceof Uint8Array))
    throw damaged(customerId, 'timers, offsets or recent ids have the wrong type');
  if (typeof copies !== 'number') throw damaged(customerId, 'no copies field');
  const applied = emptyAppliedLog();
  for (let i = 0; i + 1 < offsets.length; i += 2) {
    const [partition, offset] = [offsets[i], offsets[i + 1]];
    if (typeof partition !== 'number' || typeof offset !== 'number')
      throw damaged(customerId, 'an applied offset is not a number');
    applied.offsets.set(partition, offset);
  }
  applied.recent = Buffer.from(recent);
  return {
    version,
    record: {
      state: withCopies(state ?? null, copies, customerId, ledger as string[]),
      ledger: ledger as string[],
      timers: timers.map((t) => timerOf(customerId, t)),
      applied,
    },
  };
}
