import { z } from 'zod';

/**
 * Error messages that a marketer can act on. Zod's defaults ("Invalid discriminator value") name the
 * schema's machinery; these name the journey file's words and list what is allowed instead.
 */

/** Pure. A strict object whose unknown fields are refused with the list of fields it does have. */
export function strictObject<Shape extends z.ZodRawShape>(shape: Shape, what: string) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}; ${what} may have: ${allowed}`
        : undefined,
  });
}

/** Pure. The message for a `type` that names no known action or guard. */
export function unknownName(what: string, known: readonly string[]) {
  return (issue: z.core.$ZodRawIssue): string | undefined => {
    if (issue.code !== 'invalid_union') return undefined;
    const input: unknown = issue.input;
    const name = typeof input === 'object' && input !== null && 'type' in input ? input.type : undefined;
    return name === undefined
      ? `${what} needs a "type" (one of: ${known.join(', ')})`
      : `unknown ${what} ${JSON.stringify(name)}; known: ${known.join(', ')}`;
  };
}
