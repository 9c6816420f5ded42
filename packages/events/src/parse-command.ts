import type { Command } from './command';
import { COMMAND_TYPES, Command as CommandSchema } from './command';
import type { JsonLimits } from './decode-json';
import { jsonValueProblem } from './decode-json';
import { decodeKeyedMessage, keyEquals, typedObject } from './keyed-message';
import type { RejectedResult } from './rejection';
import { reject, schemaViolation } from './rejection';

/** A message of `N.commands` as a command, or the reason it is not one (a `tactful-error` reason). */
export type CommandParseResult = { readonly ok: true; readonly command: Command } | RejectedResult;

/** `maxBytes` (default 1 MiB) and `maxDepth` (default 64), as for events. */
export type CommandParseOptions = JsonLimits;

/**
 * Pure; never throws. A Kafka message of `N.commands` as a command, with the checks and reasons of
 * `parseEvent`, cheapest first: missing_key, too_large, invalid_json, too_deep, schema_violation of
 * `type`, unknown_type (a command type this version does not know), schema_violation, key_mismatch (the
 * key must be the command's `customerId`). Messages never quote the command's content.
 */
export function parseCommand(
  bytes: Buffer | Uint8Array | string | null,
  key: Buffer | Uint8Array | string | null,
  options: CommandParseOptions = {},
): CommandParseResult {
  const json = decodeKeyedMessage(bytes, key, { ...options, keyIs: 'the customer id' });
  if (!json.ok) return json;
  const result = validateDecoded(json.value);
  if (!result.ok) return result;
  if (!keyEquals(json.key, result.command.customerId))
    return reject('key_mismatch', 'the Kafka key is not the customerId', 'customerId');
  return result;
}

/** Pure; never throws. An already-parsed value as a command, or why it is not one (limits included). */
export function validateCommand(value: unknown, options: CommandParseOptions = {}): CommandParseResult {
  return jsonValueProblem(value, { ...options, refuseProtoKeys: true }) ?? validateDecoded(value);
}

function validateDecoded(value: unknown): CommandParseResult {
  const object = typedObject(value, 'a command');
  if (!object.ok) return object;
  const { type } = object;
  if (!(COMMAND_TYPES as readonly string[]).includes(type))
    return reject('unknown_type', `unknown command type ${JSON.stringify(type.slice(0, 100))}`, 'type');
  const parsed = CommandSchema.safeParse(value);
  return parsed.success ? { ok: true, command: parsed.data } : schemaViolation(parsed.error);
}
