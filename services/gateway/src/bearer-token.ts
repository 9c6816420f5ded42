import { createHash, timingSafeEqual } from 'node:crypto';

export type TokenCheck = 'ok' | 'missing' | 'invalid';

/**
 * Pure. Checks an `Authorization: Bearer <token>` header against the expected token in constant time:
 * both sides are hashed first, so neither the token's content nor its length leaks through timing.
 */
export function checkBearerToken(authorization: string | undefined, expected: string): TokenCheck {
  if (authorization === undefined || authorization.trim() === '') return 'missing';
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization);
  if (match === null) return 'invalid';
  const given = createHash('sha256').update(match[1]!, 'utf8').digest();
  const wanted = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(given, wanted) ? 'ok' : 'invalid';
}
