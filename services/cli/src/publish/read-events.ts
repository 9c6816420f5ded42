import type { Rejection, Result } from '@tactful/events';
import { err, ok, TactfulError } from '@tactful/events';

/** How a file of events is laid out: one JSON array, or NDJSON (one event per line). */
export type InputFormat = 'json-array' | 'ndjson';

/** One event of the input, parsed as JSON or with the reason it is not JSON. */
export interface InputRecord {
  /** Position among the events, from 0. */
  readonly index: number;
  /** The line it was on (from 1), for NDJSON. */
  readonly line?: number;
  readonly value?: unknown;
  /** Set when the line is not JSON (NDJSON only: an array that is not JSON fails as a whole). */
  readonly rejection?: Rejection;
  /** Bytes of the input consumed so far, for progress. */
  readonly bytesRead: number;
}

/**
 * Reads events from chunks of a file or stdin. The format is detected from the first character that is
 * not white space: `[` is a JSON array, anything else NDJSON (blank lines skipped). NDJSON is streamed, so
 * a file of any length holds only one line in memory at a time; an array is parsed whole.
 * Throws `TactfulError('event.invalid')` when an array is not valid JSON.
 */
export async function* readEvents(
  chunks: AsyncIterable<Buffer | string>,
  onFormat?: (format: InputFormat) => void,
): AsyncGenerator<InputRecord> {
  const decoder = new TextDecoder('utf-8');
  let format: InputFormat | undefined;
  let pending = '';
  let bytesRead = 0;
  let line = 0;
  let index = 0;

  const lineRecord = (text: string): InputRecord | undefined => {
    line += 1;
    const trimmed = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (trimmed.trim() === '') return undefined;
    const parsed = parseJson(trimmed);
    const record = parsed.ok
      ? { index, line, value: parsed.value, bytesRead }
      : { index, line, rejection: parsed.error, bytesRead };
    index += 1;
    return record;
  };

  for await (const chunk of chunks) {
    bytesRead += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
    pending += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (format === undefined) {
      const first = /\S/.exec(pending.replace(/^\uFEFF/, ''))?.[0];
      if (first === undefined) continue;
      format = first === '[' ? 'json-array' : 'ndjson';
      onFormat?.(format);
    }
    if (format === 'json-array') continue;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const text of lines) {
      const record = lineRecord(text);
      if (record !== undefined) yield record;
    }
  }
  pending += decoder.decode();

  if (format === 'ndjson') {
    const record = lineRecord(pending);
    if (record !== undefined) yield record;
    return;
  }
  if (format === 'json-array') {
    const parsed = parseJson(pending.replace(/^\uFEFF/, ''));
    if (!parsed.ok)
      throw new TactfulError('event.invalid', `the input is not a valid JSON array: ${parsed.error.message}`);
    const values = parsed.value as unknown[];
    for (let i = 0; i < values.length; i++) yield { index: i, value: values[i], bytesRead };
  }
}

function parseJson(text: string): Result<unknown, Rejection> {
  try {
    return ok(JSON.parse(text) as unknown);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    // V8's message quotes the input, which may hold personal data: keep only the position
    const at = /position (\d+)/.exec(error.message)?.[1];
    const where = at === undefined ? '' : ` (at position ${at})`;
    return err({ reason: 'invalid_json', message: `not valid JSON${where}` });
  }
}
