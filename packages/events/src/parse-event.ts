import { isUtf8 } from 'node:buffer';
import type { z } from 'zod';
import { isEventType, isInternalEventType } from './event-types';
import type { ParseResult } from './rejection';
import { reject, schemaViolation } from './rejection';
import type { TactfulEvent } from './tactful-event';
import { EVENT_SCHEMAS } from './tactful-event';

/**
 * 1 MiB: Kafka's default `max.message.bytes` (1 MB and a few bytes of overhead), so a value that passes
 * here can also be written to `N.dlq` with its headers. Events are small (a form submission is well
 * under 10 KiB); the limit exists to stop a runaway producer, not to ration normal traffic.
 */
export const DEFAULT_MAX_EVENT_BYTES = 1024 * 1024;

export interface ValidateOptions {
  /** Accept internal types (`timer.fired`). Only the orchestrator, reading its own topic, sets it. */
  readonly allowInternal?: boolean;
}

export interface ParseOptions extends ValidateOptions {
  /** Largest accepted value, in bytes of UTF-8. Default `DEFAULT_MAX_EVENT_BYTES`. */
  readonly maxBytes?: number;
}

// The decoder drops a leading byte order mark, which RFC 8259 lets a parser ignore; anything that is not
// UTF-8 is refused before decoding (the decoder itself would substitute U+FFFD and carry on).
const UTF8 = new TextDecoder('utf-8');

/**
 * Pure; never throws. A Kafka message of `N.events` as an event, or the reason it is not one. Checks
 * run cheapest first, so a message with several faults reports the first of: missing_key, too_large,
 * invalid_json (no value, not UTF-8, not JSON), schema_violation of the envelope's `type`,
 * unknown_type, internal_type, schema_violation, key_mismatch (the key must equal `subject`).
 * A parsed event is exactly what was sent: nothing is filled in, unknown members are kept.
 */
export function parseEvent(
  bytes: Buffer | Uint8Array | string | null,
  key: Buffer | Uint8Array | string | null,
  options: ParseOptions = {},
): ParseResult {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_EVENT_BYTES;
  if (key === null || key.length === 0) {
    return reject('missing_key', 'the message has no key; the key must be the customer id (the subject)');
  }
  if (bytes === null) return reject('invalid_json', 'the message has no value');
  const size = typeof bytes === 'string' ? Buffer.byteLength(bytes, 'utf8') : bytes.byteLength;
  if (size > maxBytes) {
    return reject('too_large', `the value is ${size} bytes, over the limit of ${maxBytes}`);
  }
  if (typeof bytes !== 'string' && !isUtf8(bytes)) return reject('invalid_json', 'the value is not UTF-8');
  const text = typeof bytes === 'string' ? bytes.replace(/^\uFEFF/, '') : UTF8.decode(bytes);
  const json = parseJson(text);
  if (!json.ok) return json;

  const result = validateEvent(json.value, options);
  if (!result.ok) return result;
  if (!keyEquals(key, result.event.subject)) {
    return reject('key_mismatch', 'the Kafka key is not the subject (the customer id)', 'subject');
  }
  return result;
}

/**
 * Pure; never throws. An already-parsed value (an HTTP body, a publisher's argument) as an event, or
 * the reason it is not one; `parseEvent` without the byte-level checks and the key.
 */
export function validateEvent(value: unknown, options: ValidateOptions = {}): ParseResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return reject('schema_violation', 'an event must be a JSON object');
  }
  const type: unknown = (value as Record<string, unknown>)['type'];
  if (typeof type !== 'string') {
    return reject('schema_violation', 'type is required and must be a string', 'type');
  }
  if (!isEventType(type)) {
    return reject('unknown_type', `unknown event type ${JSON.stringify(type.slice(0, 100))}`, 'type');
  }
  if (isInternalEventType(type) && options.allowInternal !== true) {
    return reject(
      'internal_type',
      `${type} is written by Tactful itself and not accepted from outside`,
      'type',
    );
  }
  const proto = findProtoKey(value);
  if (proto !== null) {
    return reject('schema_violation', '"__proto__" is not allowed as a member name', proto);
  }
  const schema: z.ZodType<TactfulEvent> = EVENT_SCHEMAS[type];
  const parsed = schema.safeParse(value);
  return parsed.success ? { ok: true, event: parsed.data } : schemaViolation(parsed.error);
}

function parseJson(text: string): { ok: true; value: unknown } | ReturnType<typeof reject> {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    // V8's message quotes the start of the input, which may be personal data: keep the position only.
    if (error instanceof SyntaxError) {
      const at = /position (\d+)/.exec(error.message)?.[1];
      return reject(
        'invalid_json',
        `the value is not valid JSON${at === undefined ? '' : ` (at position ${at})`}`,
      );
    }
    throw error;
  }
}

function keyEquals(key: Buffer | Uint8Array | string, subject: string): boolean {
  return typeof key === 'string' ? key === subject : Buffer.from(subject, 'utf8').equals(key);
}

// JSON.parse makes "__proto__" an ordinary member, but zod (like any JS object spread) silently drops
// it, so such an event would not come out as it went in. Iterative: a value may be nested deeper than
// the call stack allows.
function findProtoKey(root: object): string | null {
  const stack: { value: object; path: string }[] = [{ value: root, path: '' }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { value, path } = item;
    const entries: [string | number, unknown][] = Array.isArray(value)
      ? value.map((element: unknown, index) => [index, element])
      : Object.entries(value);
    for (const [name, member] of entries) {
      const nested = typeof member === 'object' && member !== null;
      if (name !== '__proto__' && !nested) continue;
      const memberPath =
        typeof name === 'number' ? `${path}[${name}]` : path === '' ? name : `${path}.${name}`;
      if (name === '__proto__') return memberPath;
      if (nested) stack.push({ value: member, path: memberPath });
    }
  }
  return null;
}
