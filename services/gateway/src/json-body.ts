import type { DecodedJson } from '@tactful/events';
import { decodeJson, DEFAULT_MAX_JSON_DEPTH } from '@tactful/events';

/**
 * Pure; never throws. A request body as JSON, with the decoder of every JSON that crosses the edge: its
 * size is fastify's to limit (`TACTFUL_INGEST_MAX_BYTES`), its depth is the events' limit plus one for
 * the array of a batch, so nothing nested past the limit reaches the cloudevents SDK; each event is then
 * held to the exact limits by `prepareEvent`. Faults give their position only: V8's own message quotes
 * the input, which may be personal data and would be echoed to the caller.
 */
export function parseJsonBody(body: Buffer): DecodedJson {
  return decodeJson(body, {
    maxBytes: Number.POSITIVE_INFINITY,
    maxDepth: DEFAULT_MAX_JSON_DEPTH + 1,
    what: 'the request body',
  });
}
