import type { z } from 'zod';
import type { JsonLimits } from './decode-json';
import { jsonValueProblem } from './decode-json';
import { isEventType, isInternalEventType } from './event-types';
import { decodeKeyedMessage, keyEquals, limitsOf, typedObject } from './keyed-message';
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
  const json = decodeKeyedMessage(bytes, key, { ...options, keyIs: 'the customer id (the subject)' });
  if (!json.ok) return json;

  const result = validateDecoded(json.value, options);
  if (!result.ok) return result;
  if (!keyEquals(json.key, result.event.subject)) {
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
  const object = typedObject(value, 'an event');
  if (!object.ok) return object;
  const { type } = object;
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
