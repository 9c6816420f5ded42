import { addExtension, Packr } from 'msgpackr';
import { TactfulError } from '@tactful/events';

// A JSON value in MessagePack, smaller than its JSON in five ways, each reversible exactly:
//   - an object key found in KEY_DICTIONARY is written as its index (a one-byte integer) instead of its
//     text; any other key is written as text, so unknown fields cost their length and nothing breaks;
//   - a string found in VALUE_DICTIONARY (an event type, a customer status) is written as its index (3
//     bytes);
//   - a string of STRING_REF_MIN_LENGTH characters or more that already appeared in the value (a
//     journey id, a timer id, an email address quoted twice, a timestamp) is written as a reference to
//     its first occurrence (2 or 3 bytes);
//   - a string that is a canonical ISO timestamp (`Date#toISOString()` output) is written as a
//     MessagePack timestamp (10 bytes instead of 26) and read back as the same string;
//   - an id of the form `<prefix>-<32 hex digits>` (the engine's timer, command and audit ids) is written
//     as its prefix and 16 bytes (about 21 bytes instead of 38).
// MessagePack maps carry the keys; maps are read back as `Map`s so integer keys stay integers. The
// reference is MessagePack extension type 1, the id type 2 and the known value type 3, registered for the
// whole process (msgpackr's registry).

/**
 * Keys shortened to their index. APPEND ONLY: stored records name keys by position, so removing or
 * reordering an entry would make every stored record read differently (a new layout version would be
 * needed). Chosen from the customer state, timer payloads and event data the engine writes.
 */
export const KEY_DICTIONARY: readonly string[] = [
  'customerId', 'profile', 'email', 'name', 'fields', 'contact', 'sends', 'at', 'journey', 'template',
  'channel', 'status', 'optedOut', 'optedBackIn', 'hardBounced', 'doNotContactUntil', 'timezone',
  'topicsOptedOut', 'purchases', 'sku', 'orderId', 'templatesSent', 'active', 'version', 'entry',
  'enteredAt', 'snapshot', 'value', 'historyValue', 'context', 'children', 'timers', 'trigger', 'eventId',
  'type', 'data', 'formId', 'history', 'lastExitAt', 'outcome', 'blockedByPurchase', 'deferred',
  'journeyVersion', 'stage', 'prospecting', 'dueAt', 'causationId', 'seq', 'kind', 'event', 'delay',
  'message', 'url', 'items', 'amount', 'commandId', 'messageId', 'text', 'hard', 'note', 'timerId',
  'position', 'state', 'fence', 'halts', 'until', 'topic', 'reason', 'code', 'id',
  'haltFences', 'journeys',
]; // prettier-ignore

const KEY_INDEX = new Map(KEY_DICTIONARY.map((key, i) => [key, i]));

/** Frequent string values written as their index. APPEND ONLY, for the same reason as the keys. */
export const VALUE_DICTIONARY: readonly string[] = [
  'form.submitted', 'page.viewed', 'email.sent', 'email.opened', 'email.clicked', 'email.replied',
  'email.bounced', 'purchase.completed', 'contact.opted_out', 'contact.opted_in',
  'contact.preferences_updated', 'customer.status_changed', 'timer.fired', 'prospect', 'customer',
  'former-customer', 'active', 'email', 'after', 'deferred-send', 'completed', 'halted', 'marketing',
  'transactional', 'done',
]; // prettier-ignore

const VALUE_INDEX = new Map(VALUE_DICTIONARY.map((value, i) => [value, i]));

/** Shorter strings cost less as text than as a reference. */
export const STRING_REF_MIN_LENGTH = 6;

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const HEX_ID = /^([a-z]{1,8})-([0-9a-f]{32})$/;

/** A reference to the n-th distinct long string of the value (MessagePack extension type 1). */
class StringRef {
  constructor(readonly index: number) {}
}

const packr = new Packr({ useRecords: false, mapsAsObjects: false, moreTypes: false, int64AsType: 'number' });
/** An id `<prefix>-<32 lower-case hex digits>`, kept as its prefix and 16 bytes (extension type 2). */
class HexId {
  constructor(
    readonly prefix: string,
    readonly bytes: Buffer,
  ) {}
  get text(): string {
    return `${this.prefix}-${this.bytes.toString('hex')}`;
  }
}

addExtension({
  Class: HexId,
  type: 2,
  write: (id: HexId) => [id.prefix, id.bytes],
  read: ([prefix, bytes]: [string, Uint8Array]) => new HexId(prefix, Buffer.from(bytes)),
});

/** A string of VALUE_DICTIONARY, by its index (extension type 3). */
class KnownValue {
  constructor(readonly index: number) {}
}

addExtension({
  Class: KnownValue,
  type: 3,
  write: (known: KnownValue) => known.index,
  read: (index: number) => new KnownValue(index),
});

addExtension({
  Class: StringRef,
  type: 1,
  write: (ref: StringRef) => ref.index,
  read: (index: number) => new StringRef(index),
});

/** The long strings met so far, in order; the encoder and the decoder build the same one. */
interface Seen {
  readonly index: Map<string, number>;
  readonly texts: string[];
}

/** Adds a literal string to the table unless it is short or already there. */
function remember(text: string, seen: Seen): void {
  if (text.length < STRING_REF_MIN_LENGTH || seen.index.has(text)) return;
  seen.index.set(text, seen.texts.length);
  seen.texts.push(text);
}

function packString(text: string, seen: Seen): unknown {
  const known = VALUE_INDEX.get(text);
  if (known !== undefined) return new KnownValue(known);
  if (text.length >= STRING_REF_MIN_LENGTH) {
    const index = seen.index.get(text);
    if (index !== undefined) return new StringRef(index);
  }
  remember(text, seen);
  // the length first: most strings are neither, and a regular expression costs more than a comparison
  if (text.length === 24 && ISO.test(text)) {
    const date = new Date(text);
    if (!Number.isNaN(date.getTime()) && date.toISOString() === text) return date;
  }
  const hex = text.length >= 34 ? HEX_ID.exec(text) : null;
  return hex ? new HexId(hex[1]!, Buffer.from(hex[2]!, 'hex')) : text;
}

function toPacked(value: unknown, seen: Seen): unknown {
  if (typeof value === 'string') return packString(value, seen);
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map((item) => toPacked(item, seen));
  const map = new Map<number | string, unknown>();
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    const index = KEY_INDEX.get(key);
    // a literal key takes part in references too: the same text as a later value is written once
    if (index === undefined) remember(key, seen);
    map.set(index ?? key, toPacked(item, seen));
  }
  return map;
}

function damaged(what: string): TactfulError {
  return new TactfulError('internal', `a stored value is damaged: ${what}`);
}

function fromPacked(value: unknown, seen: Seen): unknown {
  if (typeof value === 'string') {
    remember(value, seen);
    return value;
  }
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return value;
  if (value instanceof StringRef) {
    const text = seen.texts[value.index];
    if (text === undefined) throw damaged(`string reference ${value.index} before its string`);
    return text;
  }
  if (value instanceof KnownValue) {
    const known = VALUE_DICTIONARY[value.index];
    if (known === undefined) throw damaged(`value index ${value.index} is not in the dictionary`);
    return known;
  }
  if (value instanceof Date) {
    const text = value.toISOString();
    remember(text, seen);
    return text;
  }
  if (value instanceof HexId) {
    remember(value.text, seen);
    return value.text;
  }
  if (Array.isArray(value)) return value.map((item) => fromPacked(item, seen));
  if (!(value instanceof Map)) throw damaged('an unexpected MessagePack type');
  // entries are created in stored order, so `__proto__` or any other key is an own property
  const object: Record<string, unknown> = {};
  for (const [key, item] of value as Map<unknown, unknown>) {
    let name: string;
    if (typeof key === 'number') {
      const known = KEY_DICTIONARY[key];
      if (known === undefined) throw damaged(`key index ${key} is not in the dictionary`);
      name = known;
    } else if (typeof key === 'string') {
      name = key;
      remember(key, seen);
    } else throw damaged('a map key that is neither an index nor a string');
    Object.defineProperty(object, name, {
      value: fromPacked(item, seen),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return object;
}

/**
 * Pure. A JSON value (what `JSON.parse` could return, plus byte arrays) as compact MessagePack. A value
 * nested deeper than the call stack allows is an `internal` error (not the RangeError it causes), so a
 * caller reports it like any other value it cannot store instead of crashing on it.
 */
export function packValue(value: unknown): Buffer {
  try {
    return packr.pack(toPacked(value, { index: new Map(), texts: [] }));
  } catch (err) {
    if (err instanceof RangeError)
      throw new TactfulError('internal', 'a value nested too deep (or too large) to store', { cause: err });
    throw err;
  }
}

/** Pure. The inverse of `packValue`: equal, as JSON, to the value that was packed. */
export function unpackValue(bytes: Uint8Array): unknown {
  let raw: unknown;
  try {
    raw = packr.unpack(bytes);
  } catch (err) {
    throw new TactfulError('internal', 'a stored value is not MessagePack', { cause: err });
  }
  return fromPacked(raw, { index: new Map(), texts: [] });
}
