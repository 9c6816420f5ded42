import { z } from 'zod';
import { CustomerId, identifier, Timestamp, Uri, UriReference } from './fields';

// The CloudEvents 1.0 structured-JSON envelope, in zod rather than through the `cloudevents` SDK's own
// validation, because the SDK is too lax for an event log that deduplicates on `id`:
// `new CloudEvent(...)` (and `HTTP.toEvent`) invent a random `id` and a `time` of "now" when they are
// missing, which would turn a redelivered duplicate into a new event; it also throws instead of
// returning a reason, and rewrites `time` to UTC milliseconds. The SDK stays the bridge to its
// transports (see cloud-event.ts), and the tests use it as an oracle: whatever this schema accepts,
// the SDK accepts too.

/** The one CloudEvents version Tactful reads and writes. */
export const SPEC_VERSION = '1.0';

/** Attributes the envelope declares; every other top-level member is a CloudEvents extension. */
export const ENVELOPE_ATTRIBUTES = [
  'specversion',
  'id',
  'source',
  'type',
  'subject',
  'time',
  'datacontenttype',
  'dataschema',
  'data',
] as const;

const DECLARED: ReadonlySet<string> = new Set(ENVELOPE_ATTRIBUTES);

// CloudEvents 1.0: attribute names are lower-case ASCII letters and digits.
const EXTENSION_NAME = /^[a-z0-9]+$/;

// `data` is always a JSON object here, so the content type, when given, must say JSON.
const JSON_CONTENT_TYPE = /^application\/(?:[A-Za-z0-9!#$&^_.-]+\+)?json(?:\s*;.*)?$/i;

/** The envelope attributes, without `type` and `data` (each event type supplies those). */
export const envelopeShape = {
  specversion: z.literal(SPEC_VERSION),
  id: identifier(256).describe('Unique per event; a second event with the same id is a duplicate.'),
  source: UriReference.describe('The system that produced the event, e.g. crm/web-forms.'),
  subject: CustomerId,
  time: Timestamp.describe('When it happened (RFC 3339). Processing order is partition order.'),
  datacontenttype: z
    .string()
    .regex(JSON_CONTENT_TYPE, 'must be a JSON media type (data is a JSON object)')
    .optional(),
  dataschema: Uri.optional().describe('The schema the data follows (an absolute URI).'),
};

/**
 * Pure. Extension attributes (e.g. `traceparent`) are allowed as CloudEvents defines them: lower-case
 * alphanumeric names, and string, integer or boolean values. The same rule is written into the JSON
 * Schema files as `propertyNames` and `additionalProperties` (see json-schemas.ts).
 */
export function checkExtensions<T extends object>(event: T, ctx: z.RefinementCtx<T>): void {
  for (const [name, value] of Object.entries(event)) {
    if (DECLARED.has(name)) continue;
    if (name === 'data_base64') {
      ctx.addIssue({
        code: 'custom',
        path: [name],
        message: 'binary data (data_base64) is not accepted: data must be a JSON object',
      });
    } else if (!EXTENSION_NAME.test(name)) {
      ctx.addIssue({
        code: 'custom',
        path: [name],
        message: 'extension attribute names must be lower-case letters and digits',
      });
    } else if (!isExtensionValue(value)) {
      ctx.addIssue({
        code: 'custom',
        path: [name],
        message: 'extension attribute values must be a string, an integer or a boolean',
      });
    }
  }
}

function isExtensionValue(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'boolean' || Number.isSafeInteger(value);
}

/** JSON Schema for what `checkExtensions` enforces, merged into every envelope schema file. */
export const EXTENSIONS_JSON_SCHEMA = {
  propertyNames: { pattern: EXTENSION_NAME.source },
  additionalProperties: { anyOf: [{ type: 'string' }, { type: 'integer' }, { type: 'boolean' }] },
} as const;

/**
 * Pure. The schema of one event type: the envelope with `type` fixed and `data` described by `data`.
 * Unknown members pass through (so a parsed event re-serializes to what was sent) once they are valid
 * extensions.
 */
export function eventSchema<const T extends string, D extends z.ZodType>(type: T, data: D) {
  return z
    .looseObject({ ...envelopeShape, type: z.literal(type), data })
    .superRefine(checkExtensions)
    .meta({ title: type });
}

/**
 * Any well-formed envelope, whatever its type and data. For code that routes or stores events without
 * reading them (the DLQ, `tactful explain`); everything else wants `TactfulEvent`.
 */
export const CloudEventEnvelope = z
  .looseObject({ ...envelopeShape, type: z.string().min(1), data: z.unknown() })
  .superRefine(checkExtensions);
export type CloudEventEnvelope = z.infer<typeof CloudEventEnvelope>;
