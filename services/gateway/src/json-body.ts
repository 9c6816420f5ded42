import { isUtf8 } from 'node:buffer';
import type { RejectedResult } from '@tactful/events';
import { reject } from '@tactful/events';

// The decoder drops a leading byte order mark, which RFC 8259 lets a parser ignore.
const UTF8 = new TextDecoder('utf-8');

/**
 * Pure; never throws. A request body as JSON, or `invalid_json` with the position of the fault only:
 * V8's own message quotes the input, which may be personal data and would be echoed to the caller.
 */
export function parseJsonBody(body: Buffer): { ok: true; value: unknown } | RejectedResult {
  if (body.byteLength === 0) return reject('invalid_json', 'the request body is empty');
  if (!isUtf8(body)) return reject('invalid_json', 'the request body is not UTF-8');
  try {
    return { ok: true, value: JSON.parse(UTF8.decode(body)) as unknown };
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    const at = /position (\d+)/.exec(err.message)?.[1];
    return reject(
      'invalid_json',
      `the request body is not valid JSON${at === undefined ? '' : ` (at position ${at})`}`,
    );
  }
}
