import { isUtf8 } from 'node:buffer';
import type { Command } from './command';
import { COMMAND_TYPES, Command as CommandSchema } from './command';
import { DEFAULT_MAX_EVENT_BYTES } from './parse-event';
import type { RejectedResult } from './rejection';
import { reject, schemaViolation } from './rejection';

/** A message of `N.commands` as a command, or the reason it is not one (a `tactful-error` reason). */
export type CommandParseResult = { readonly ok: true; readonly command: Command } | RejectedResult;

export interface CommandParseOptions {
  /** Largest accepted value, in bytes (default `DEFAULT_MAX_EVENT_BYTES`, 1 MiB). */
  readonly maxBytes?: number;
}

const UTF8 = new TextDecoder('utf-8');

/**
 * Pure; never throws. A Kafka message of `N.commands` as a command, with the checks and reasons of
 * `parseEvent`, cheapest first: missing_key, too_large, invalid_json, schema_violation of `type`,
 * unknown_type (a command type this version does not know), schema_violation, key_mismatch (the key must
 * be the command's `customerId`). Messages never quote the command's content.
 */
export function parseCommand(
  bytes: Buffer | Uint8Array | string | null,
  key: Buffer | Uint8Array | string | null,
  options: CommandParseOptions = {},
): CommandParseResult {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_EVENT_BYTES;
  if (key === null || key.length === 0)
    return reject('missing_key', 'the message has no key; the key must be the customer id');
  if (bytes === null) return reject('invalid_json', 'the message has no value');
  const size = typeof bytes === 'string' ? Buffer.byteLength(bytes, 'utf8') : bytes.byteLength;
  if (size > maxBytes)
    return reject('too_large', `the value is ${size} bytes, over the limit of ${maxBytes}`);
  if (typeof bytes !== 'string' && !isUtf8(bytes)) return reject('invalid_json', 'the value is not UTF-8');
  const text = typeof bytes === 'string' ? bytes.replace(/^\uFEFF/, '') : UTF8.decode(bytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    // V8's message quotes the input, which may be personal data: keep the position only
    const at = /position (\d+)/.exec(error.message)?.[1];
    return reject(
      'invalid_json',
      `the value is not valid JSON${at === undefined ? '' : ` (at position ${at})`}`,
    );
  }
  const result = validateCommand(value);
  if (!result.ok) return result;
  const customerId = Buffer.from(result.command.customerId, 'utf8');
  const matches = typeof key === 'string' ? key === result.command.customerId : customerId.equals(key);
  if (!matches) return reject('key_mismatch', 'the Kafka key is not the customerId', 'customerId');
  return result;
}

/** Pure; never throws. An already-parsed value as a command, or why it is not one. */
export function validateCommand(value: unknown): CommandParseResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return reject('schema_violation', 'a command must be a JSON object');
  const type: unknown = (value as Record<string, unknown>)['type'];
  if (typeof type !== 'string')
    return reject('schema_violation', 'type is required and must be a string', 'type');
  if (!(COMMAND_TYPES as readonly string[]).includes(type))
    return reject('unknown_type', `unknown command type ${JSON.stringify(type.slice(0, 100))}`, 'type');
  const parsed = CommandSchema.safeParse(value);
  return parsed.success ? { ok: true, command: parsed.data } : schemaViolation(parsed.error);
}
