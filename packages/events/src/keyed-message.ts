import type { JsonLimits } from './decode-json';
import { decodeJson } from './decode-json';
import type { RejectedResult } from './rejection';
import { reject } from './rejection';

// The guard chain that events and commands share before their own schemas: a key, then the bytes as a
// JSON value within the limits (size, depth, UTF-8, JSON, no `__proto__` member), then a JSON object
// with a string `type`. Cheapest first, so a message with several faults reports the first.

export type DecodedMessage =
  { readonly ok: true; readonly value: unknown; readonly key: Buffer | Uint8Array | string } | RejectedResult;

export type TypedObject =
  { readonly ok: true; readonly value: Record<string, unknown>; readonly type: string } | RejectedResult;

/**
 * Pure; never throws. A Kafka message's value as JSON, or the first reason it is not: missing_key (no
 * key, or an empty one; `keyIs` says what the key must be), then the reasons of `decodeJson`.
 */
export function decodeKeyedMessage(
  bytes: Buffer | Uint8Array | string | null,
  key: Buffer | Uint8Array | string | null,
  options: JsonLimits & { readonly keyIs: string },
): DecodedMessage {
  if (key === null || key.length === 0) {
    return reject('missing_key', `the message has no key; the key must be ${options.keyIs}`);
  }
  const json = decodeJson(bytes, { ...limitsOf(options), refuseProtoKeys: true });
  return json.ok ? { ok: true, value: json.value, key } : json;
}

/** Pure. A decoded value as a JSON object with a string `type`, or schema_violation (`a ${what}`). */
export function typedObject(value: unknown, what: string): TypedObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return reject('schema_violation', `${what} must be a JSON object`);
  }
  const object = value as Record<string, unknown>;
  const type: unknown = object['type'];
  if (typeof type !== 'string') {
    return reject('schema_violation', 'type is required and must be a string', 'type');
  }
  return { ok: true, value: object, type };
}

/** Pure. Whether a Kafka key (bytes or text) is the given id, byte for byte in UTF-8. */
export function keyEquals(key: Buffer | Uint8Array | string, id: string): boolean {
  return typeof key === 'string' ? key === id : Buffer.from(id, 'utf8').equals(key);
}

/** Only the limits of a wider options object, so that nothing else reaches the decoder. */
export function limitsOf(options: JsonLimits): JsonLimits {
  return {
    ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
    ...(options.maxDepth === undefined ? {} : { maxDepth: options.maxDepth }),
  };
}
