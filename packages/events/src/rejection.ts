import type { z } from 'zod';
import type { TactfulEvent } from './tactful-event';

/**
 * Why a message is not an event Tactful will apply. The reason is what goes into the `tactful-error`
 * header of `N.dlq`, so these strings are public.
 */
export const REJECTION_REASONS = [
  'invalid_json',
  'unknown_type',
  'schema_violation',
  'key_mismatch',
  'missing_key',
  'too_large',
  'internal_type',
  'too_deep',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export interface Rejection {
  readonly reason: RejectionReason;
  /** For people: what is wrong, without quoting personal data from the message. */
  readonly message: string;
  /** Where, for `schema_violation`: `data.email`, `data.items[0].sku`, `time`. */
  readonly path?: string;
}

export type ParseResult = { readonly ok: true; readonly event: TactfulEvent } | RejectedResult;
export type RejectedResult = { readonly ok: false; readonly rejection: Rejection };

/** Pure. */
export function reject(reason: RejectionReason, message: string, path?: string): RejectedResult {
  return { ok: false, rejection: path === undefined ? { reason, message } : { reason, message, path } };
}

/** Pure. `["data", "items", 0, "sku"]` → `data.items[0].sku`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

// Enough issues to fix a message in one go, few enough for a Kafka header and a log line.
const MAX_ISSUES_IN_MESSAGE = 5;

/** Pure. A schema violation naming the first failing path, and the others in the message. */
export function schemaViolation(error: z.ZodError): RejectedResult {
  const issues = error.issues;
  const described = issues.slice(0, MAX_ISSUES_IN_MESSAGE).map((issue) => {
    const where = formatPath(issue.path);
    return where === '' ? issue.message : `${where}: ${issue.message}`;
  });
  const more =
    issues.length > MAX_ISSUES_IN_MESSAGE ? ` (and ${issues.length - MAX_ISSUES_IN_MESSAGE} more)` : '';
  const first = issues[0];
  const path = first === undefined ? '' : formatPath(first.path);
  const message = described.length === 0 ? 'does not match the schema' : described.join('; ') + more;
  return reject('schema_violation', message, path === '' ? undefined : path);
}
