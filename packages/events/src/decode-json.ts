import { isUtf8 } from 'node:buffer';
import type { RejectedResult } from './rejection';
import { formatPath, reject } from './rejection';

/**
 * 1 MiB: Kafka's default `max.message.bytes` (1 MB and a few bytes of overhead), so a value that passes
 * here can also be written to `N.dlq` with its headers. Events are small (a form submission is well
 * under 10 KiB); the limit exists to stop a runaway producer, not to ration normal traffic.
 */
export const DEFAULT_MAX_EVENT_BYTES = 1024 * 1024;

/**
 * 64 arrays and objects nested in one another, the envelope counting as the first: the default of .NET's
 * System.Text.Json (serde_json stops at 128). An event is 2 to 4 deep (`data.items[0]`), and a webhook
 * payload passed through in `data` rarely 10. Everything that handles a value afterwards and recurses
 * (JSON.stringify, structuredClone, zod, Lua's cjson at 1,000) throws a RangeError somewhere in the
 * thousands, so a value that passes can never make it throw, wherever it is nested later (a command's
 * `data`, a customer's state).
 */
export const DEFAULT_MAX_JSON_DEPTH = 64;

export interface JsonLimits {
  /** Largest value, in bytes of UTF-8 (as received, or as JSON). Default `DEFAULT_MAX_EVENT_BYTES`. */
  readonly maxBytes?: number;
  /** Most arrays and objects nested in one another. Default `DEFAULT_MAX_JSON_DEPTH`. */
  readonly maxDepth?: number;
}

export interface DecodeOptions extends JsonLimits {
  /** Refuse a member named `__proto__` (schema_violation at its path): zod and object spreads drop it. */
  readonly refuseProtoKeys?: boolean;
  /** What the messages call the input (default `the value`; the ingest API says `the request body`). */
  readonly what?: string;
}

export type DecodedJson = { readonly ok: true; readonly value: unknown } | RejectedResult;

// The decoder drops a leading byte order mark, which RFC 8259 lets a parser ignore; anything that is not
// UTF-8 is refused before decoding (the decoder itself would substitute U+FFFD and carry on).
const UTF8 = new TextDecoder('utf-8');

/**
 * Pure; never throws. Bytes as a JSON value within the limits, or the first reason they are not one:
 * too_large (over `maxBytes`), invalid_json (no value, empty, not UTF-8, not JSON), too_deep, too_large
 * (more values than `maxBytes` could hold), schema_violation (a `__proto__` member, when refused). The one
 * decoder of every JSON that crosses the edge: events, commands and ingest request bodies.
 */
export function decodeJson(
  bytes: Buffer | Uint8Array | string | null,
  options: DecodeOptions = {},
): DecodedJson {
  const what = options.what ?? 'the value';
  if (bytes === null) return reject('invalid_json', 'the message has no value');
  const size = typeof bytes === 'string' ? Buffer.byteLength(bytes, 'utf8') : bytes.byteLength;
  if (size === 0) return reject('invalid_json', `${what} is empty`);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_EVENT_BYTES;
  if (size > maxBytes) return reject('too_large', `${what} is ${size} bytes, over the limit of ${maxBytes}`);
  if (typeof bytes !== 'string' && !isUtf8(bytes)) return reject('invalid_json', `${what} is not UTF-8`);
  const text = typeof bytes === 'string' ? bytes.replace(/^\uFEFF/, '') : UTF8.decode(bytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    // V8's message quotes the start of the input, which may be personal data: keep the position only.
    const at = /position (\d+)/.exec(error.message)?.[1];
    return reject(
      'invalid_json',
      `${what} is not valid JSON${at === undefined ? '' : ` (at position ${at})`}`,
    );
  }
  const problem = jsonValueProblem(value, options);
  return problem ?? { ok: true, value };
}

interface Frame {
  readonly value: object;
  readonly depth: number;
  readonly parent: Frame | undefined;
  readonly name: string | number | undefined;
}

/**
 * Pure; never throws. The first reason a value (decoded or built in memory) is not a JSON value Tactful
 * will handle, or null: too_deep, too_large (more values than `maxBytes` bytes of JSON could hold, each
 * taking at least one), schema_violation (a bigint, function or symbol, which JSON cannot carry; a
 * `__proto__` member, when refused). Iterative, and it stops at the first problem, so a value nested past
 * what the call stack allows, or a cycle, or a graph of shared references, costs at most `maxBytes` steps.
 */
export function jsonValueProblem(value: unknown, options: DecodeOptions = {}): RejectedResult | null {
  const what = options.what ?? 'the value';
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_JSON_DEPTH;
  const maxValues = options.maxBytes ?? DEFAULT_MAX_EVENT_BYTES;
  if (typeof value !== 'object' || value === null) return scalarProblem(value, undefined);
  if (maxDepth < 1) return tooDeep(what, maxDepth);
  const stack: Frame[] = [{ value, depth: 1, parent: undefined, name: undefined }];
  let values = 1;
  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    const names: (string | number)[] = Array.isArray(frame.value)
      ? Array.from(frame.value.keys())
      : Object.keys(frame.value);
    values += names.length;
    if (values > maxValues) {
      return reject(
        'too_large',
        `${what} holds more than ${maxValues} values, more than ${maxValues} bytes of JSON can hold`,
      );
    }
    for (const name of names) {
      if (name === '__proto__' && options.refuseProtoKeys === true) {
        return reject('schema_violation', '"__proto__" is not allowed as a member name', pathOf(frame, name));
      }
      const member: unknown = (frame.value as Record<string | number, unknown>)[name];
      if (typeof member !== 'object' || member === null) {
        const problem = scalarProblem(member, () => pathOf(frame, name));
        if (problem !== null) return problem;
        continue;
      }
      if (frame.depth + 1 > maxDepth) return tooDeep(what, maxDepth);
      stack.push({ value: member, depth: frame.depth + 1, parent: frame, name });
    }
  }
  return null;
}

function tooDeep(what: string, maxDepth: number): RejectedResult {
  return reject(
    'too_deep',
    `${what} nests arrays and objects more than ${maxDepth} deep, over the limit of ${maxDepth}`,
  );
}

function scalarProblem(value: unknown, path: (() => string) | undefined): RejectedResult | null {
  const type = typeof value;
  if (type !== 'bigint' && type !== 'function' && type !== 'symbol') return null;
  const where = path?.();
  return reject('schema_violation', `a ${type} is not a JSON value`, where === '' ? undefined : where);
}

// Built only for the one member reported, so a large value pays nothing for paths.
function pathOf(frame: Frame, name: string | number): string {
  const names: (string | number)[] = [name];
  for (let at: Frame | undefined = frame; at?.name !== undefined; at = at.parent) names.unshift(at.name);
  return formatPath(names);
}
