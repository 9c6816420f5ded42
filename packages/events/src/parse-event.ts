import type { z } from 'zod';
import type { JsonLimits } from './decode-json';
import { decodeJson, jsonValueProblem } from './decode-json';
import { isEventType, isInternalEventType } from './event-types';
import type { ParseResult } from './rejection';
import { reject, schemaViolation } from './rejection';
import type { TactfulEvent } from './tactful-event';
import { EVENT_SCHEMAS } from './tactful-event';

export interface ValidateOptions extends JsonLimits {
  /** Accept internal types (`timer.fired`). Only the orchestrator, reading its own topic, sets it. */
  readonly allowInternal?: boolean;
}

/** `maxBytes` (default 1 MiB) and `maxDepth` (default 64) are the limits of `JsonLimits`. */
export type ParseOptions = ValidateOptions;

/**
 * Pure; never throws. A Kafka message of `N.events` as an event, or the reason it is not one. Checks
 * run cheapest first, so a message with several faults reports the first of: missing_key, too_large,
 * invalid_json (no value, not UTF-8, not JSON), too_deep, schema_violation (a `__proto__` member; the
 * envelope's `type`), unknown_type, internal_type, schema_violation, key_mismatch (the key must equal
 * `subject`).
 * A parsed event is exactly what was sent: nothing is filled in, unknown members are kept.
 */
export function parseEvent(
  bytes: Buffer | Uint8Array | string | null,
  key: Buffer | Uint8Array | string | null,
  options: ParseOptions = {},
): ParseResult {
  if (key === null || key.length === 0) {
    return reject('missing_key', 'the message has no key; the key must be the customer id (the subject)');
  }
  const json = decodeJson(bytes, { ...limitsOf(options), refuseProtoKeys: true });
  if (!json.ok) return json;

  const result = validateDecoded(json.value, options);
  if (!result.ok) return result;
  if (!keyEquals(key, result.event.subject)) {
    return reject('key_mismatch', 'the Kafka key is not the subject (the customer id)', 'subject');
  }
  return result;
}

/**
 * Pure; never throws. An already-parsed value (an HTTP body, a publisher's argument) as an event, or
 * the reason it is not one; `parseEvent` without the byte-level checks and the key. The limits apply to
 * the value as it is in memory: too_deep past `maxDepth`, too_large when it holds more values than
 * `maxBytes` bytes of JSON could (so a cycle or a graph of shared references is refused, never walked).
 */
export function validateEvent(value: unknown, options: ValidateOptions = {}): ParseResult {
  const problem = jsonValueProblem(value, { ...limitsOf(options), refuseProtoKeys: true });
  return problem ?? validateDecoded(value, options);
}

/** A value within the limits, without `__proto__` members, as an event. */
function validateDecoded(value: unknown, options: ValidateOptions): ParseResult {
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
  const schema: z.ZodType<TactfulEvent> = EVENT_SCHEMAS[type];
  const parsed = schema.safeParse(value);
  return parsed.success ? { ok: true, event: parsed.data } : schemaViolation(parsed.error);
}

function limitsOf(options: JsonLimits): JsonLimits {
  return {
    ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
    ...(options.maxDepth === undefined ? {} : { maxDepth: options.maxDepth }),
  };
}

function keyEquals(key: Buffer | Uint8Array | string, subject: string): boolean {
  return typeof key === 'string' ? key === subject : Buffer.from(subject, 'utf8').equals(key);
}
