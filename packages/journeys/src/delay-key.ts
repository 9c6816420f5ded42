import type { ParsedDuration } from '@tactful/events';
import { parseIsoDuration } from '@tactful/events';

/**
 * Pure. Milliseconds of an `after` key: an ISO 8601 duration (`P3D`, `PT30S`) or a whole number of
 * milliseconds (`30000`). Anything else is refused, because XState treats an unknown key as a named
 * delay and, finding no such delay, fires the transition at once.
 */
export function parseDelayKey(key: string): ParsedDuration {
  const parsed = /^\d+$/.test(key)
    ? Number.isSafeInteger(Number(key))
      ? { ms: Number(key) }
      : { error: `"${key}" is too long` }
    : key.startsWith('P')
      ? parseIsoDuration(key)
      : { error: `unknown delay "${key}": use an ISO 8601 duration (PT30S, PT2H, P3D, P2W) or milliseconds` };
  if ('ms' in parsed && parsed.ms === 0)
    return { error: `delay "${key}" is zero; a wait must last some time` };
  return parsed;
}
