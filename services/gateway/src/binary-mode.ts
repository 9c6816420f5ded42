import type { IncomingHttpHeaders } from 'node:http';
import { HTTP, ValidationError } from 'cloudevents';
import type { RejectedResult } from '@tactful/events';
import { reject } from '@tactful/events';
import { parseJsonBody } from './json-body';

/** Pure. Whether a request is a CloudEvent in binary mode: attributes in `ce-*` headers, `data` as the body. */
export function isBinaryMode(headers: IncomingHttpHeaders): boolean {
  return Object.keys(headers).some((name) => name.toLowerCase().startsWith('ce-'));
}

// The SDK's reader invents an id and a time of "now" when they are missing (and assumes version 1.0),
// which would turn a retried request into a new event instead of a duplicate: these must be sent.
const REQUIRED = [
  ['ce-id', 'id'],
  ['ce-time', 'time'],
  ['ce-specversion', 'specversion'],
] as const;

/**
 * Pure; never throws. A binary-mode request as the structured envelope it stands for, read with the
 * cloudevents SDK's HTTP binding, for `prepareEvent` to validate. The body must be the JSON `data`. `time`
 * is kept as sent (the SDK would rewrite it to UTC milliseconds).
 */
export function readBinaryEvent(
  headers: IncomingHttpHeaders,
  body: Buffer | undefined,
): { ok: true; value: unknown } | RejectedResult {
  for (const [header, attribute] of REQUIRED) {
    if (typeof headers[header] !== 'string' || headers[header] === '') {
      return reject('schema_violation', `${attribute} is required (the ${header} header)`, attribute);
    }
  }
  const data = parseJsonBody(body ?? Buffer.alloc(0));
  if (!data.ok) return data;
  // every event type's data is an object; the SDK would also read a JSON string body as JSON text again
  // and throw a SyntaxError of its own on `"["`
  if (typeof data.value !== 'object' || data.value === null || Array.isArray(data.value))
    return reject(
      'schema_violation',
      'the body of a binary-mode event must be a JSON object (its data)',
      'data',
    );
  try {
    const received = HTTP.toEvent({ headers, body: data.value });
    if (Array.isArray(received)) return reject('schema_violation', 'binary mode carries one event');
    const event: Record<string, unknown> = { ...received, time: headers['ce-time'] };
    for (const [name, value] of Object.entries(event)) if (value === undefined) delete event[name];
    return { ok: true, value: event };
  } catch (err) {
    if (err instanceof ValidationError || err instanceof TypeError || err instanceof SyntaxError) {
      return reject('schema_violation', `not a CloudEvent in binary mode: ${err.message}`);
    }
    throw err;
  }
}
