import type { IncomingHttpHeaders } from 'node:http';
import type { EventRejection } from '@tactful/events';
import { rejectionAt } from '@tactful/events';
import { isBinaryMode, readBinaryEvent } from './binary-mode';
import { parseJsonBody } from './json-body';

/** How the events of a request were sent (the CloudEvents HTTP binding's content modes). */
export type ContentMode = 'structured' | 'batch' | 'binary';

export type RequestEvents =
  /** The candidate events, in order, each still to be validated. */
  | { readonly ok: true; readonly mode: ContentMode; readonly values: readonly unknown[] }
  /** The body could not be read as events at all: 400 with the reason as the one rejection, or 415. */
  | { readonly ok: false; readonly status: 400; readonly rejected: readonly EventRejection[] }
  | { readonly ok: false; readonly status: 415; readonly message: string };

export const STRUCTURED_TYPE = 'application/cloudevents+json';
export const BATCH_TYPE = 'application/cloudevents-batch+json';
const JSON_TYPE = /^application\/(?:[a-z0-9!#$&^_.-]+\+)?json$/;

/** Pure. The media type of a `content-type` header, lower-case and without parameters. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * Pure; never throws. The events a `POST /events` carries:
 * - `application/cloudevents-batch+json`: a JSON array of structured events;
 * - `application/cloudevents+json`: one structured event (an array is read as a batch);
 * - any `ce-*` header with another content type: one event in binary mode, `data` as the body;
 * - `application/json` (or `*\/*+json`) without `ce-*` headers: one event, or an array of them.
 */
export function readRequest(headers: IncomingHttpHeaders, body: Buffer | undefined): RequestEvents {
  const type = mediaType(headers['content-type']);
  const structured = type === STRUCTURED_TYPE || type === BATCH_TYPE;
  if (!structured && isBinaryMode(headers)) {
    const read = readBinaryEvent(headers, body);
    return read.ok
      ? { ok: true, mode: 'binary', values: [read.value] }
      : { ok: false, status: 400, rejected: [rejectionAt(0, undefined, read.rejection)] };
  }
  if (!structured && !JSON_TYPE.test(type)) {
    return {
      ok: false,
      status: 415,
      message: `send ${STRUCTURED_TYPE}, ${BATCH_TYPE} or application/json (or binary mode with ce-* headers), not ${type === '' ? 'no content type' : type}`,
    };
  }
  const json = parseJsonBody(body ?? Buffer.alloc(0));
  if (!json.ok) return { ok: false, status: 400, rejected: [rejectionAt(0, undefined, json.rejection)] };
  if (Array.isArray(json.value)) return { ok: true, mode: 'batch', values: json.value };
  if (type === BATCH_TYPE) {
    const rejection = {
      reason: 'schema_violation' as const,
      message: 'a batch must be a JSON array of events',
    };
    return { ok: false, status: 400, rejected: [rejectionAt(0, json.value, rejection)] };
  }
  return { ok: true, mode: 'structured', values: [json.value] };
}
