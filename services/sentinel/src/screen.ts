/**
 * Decides, without validating, whether a message of `N.events` could be a halting event. Most of the
 * topic is not, and the sentinel must keep up with all of it, so the common case is one regular
 * expression over the raw bytes; only a message that names a halting type is JSON-parsed, and only one
 * whose `type` is halting goes on to the full `parseEvent`.
 */
export type MessageScreen = (value: Buffer | null) => boolean;

const ESCAPE = /[.*+?^${}()|[\]\\]/g;
const BOM = /^\uFEFF/;

/**
 * Pure. A screen for `types`. It never misses a halting event that `parseEvent` accepts: a value that
 * does not contain one of the types as a JSON string (`"email.replied"`) cannot have it as its `type`,
 * unless the type is spelled with `\u` escapes, and a value with any `\u` escape is parsed to be sure.
 * A soft bounce (`data.hard` not true) is screened out here too.
 */
export function createScreen(types: ReadonlySet<string>): MessageScreen {
  // latin1 maps each byte to one character, so ASCII needles match exactly and the bytes of a UTF-8
  // multi-byte character (all ≥ 0x80) can never look like part of one
  const needles = [...types].map((type) => `"${type.replace(ESCAPE, '\\$&')}"`);
  const mayName = new RegExp(`${needles.join('|')}|\\\\u`);
  return (value) => {
    if (value === null || value.length === 0) return false;
    if (!mayName.test(value.toString('latin1'))) return false;
    return isHaltingShape(value, types);
  };
}

function isHaltingShape(value: Buffer, types: ReadonlySet<string>): boolean {
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8').replace(BOM, ''));
  } catch (err) {
    // not JSON: the orchestrator dead-letters it; the sentinel only has to not mark it
    if (err instanceof SyntaxError) return false;
    throw err;
  }
  if (typeof json !== 'object' || json === null) return false;
  const { type, data } = json as { type?: unknown; data?: unknown };
  if (typeof type !== 'string' || !types.has(type)) return false;
  if (type !== 'email.bounced') return true;
  return typeof data === 'object' && data !== null && (data as { hard?: unknown }).hard === true;
}
