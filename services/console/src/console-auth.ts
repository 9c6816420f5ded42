import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

// The console's API names every customer and every decision, so with TACTFUL_CONSOLE_TOKEN set it answers
// only to that token: as `Authorization: Bearer <token>` (scripts), or through a session cookie set by the
// login form (people). The cookie never holds the token: it holds an expiry and an HMAC of it keyed by the
// token, so it expires on the server's word, any process with the same token accepts it, and changing the
// token ends every session.

/** The session cookie's name. */
export const SESSION_COOKIE = 'tactful_console';

/** How long a login lasts. */
export const SESSION_MS = 12 * 3_600_000;

const SCHEME = 'v1';

export interface RequestCredentials {
  readonly authorization?: string | undefined;
  readonly cookie?: string | undefined;
}

export interface ConsoleAuth {
  /** Whether the request carries the token as a bearer, or a live session cookie. */
  authorized(credentials: RequestCredentials, now: number): boolean;
  /** Whether `given` (typed into the login form) is the token. Constant time. */
  isToken(given: string): boolean;
  /** The `Set-Cookie` of a new session; `secure` when the page was reached over HTTPS. */
  sessionCookie(now: number, secure: boolean): string;
  /** The `Set-Cookie` that ends the session. */
  readonly clearCookie: string;
}

/** Pure. Equality of two strings in a time that does not depend on where they differ (nor on their lengths). */
function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * Pure. The value of cookie `name` in a `Cookie` header, or undefined. The console reads one cookie of its
 * own, whose value is plain ASCII it wrote itself, so no decoding is needed.
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Pure (the clock is passed in). The console's authentication with `token`. */
export function createConsoleAuth(token: string): ConsoleAuth {
  const mac = (expires: string) =>
    createHmac('sha256', token).update(`tactful.console.session.${SCHEME}.${expires}`).digest('hex');
  const attributes = 'Path=/; HttpOnly; SameSite=Strict';

  const validSession = (value: string | undefined, now: number): boolean => {
    const [scheme, expires, signature, ...rest] = (value ?? '').split('.');
    if (scheme !== SCHEME || expires === undefined || signature === undefined || rest.length > 0)
      return false;
    const until = Number.parseInt(expires, 36);
    return Number.isFinite(until) && until > now && sameSecret(signature, mac(expires));
  };

  return {
    authorized({ authorization, cookie }, now) {
      const bearer = /^Bearer +(.+)$/i.exec(authorization ?? '')?.[1];
      if (bearer !== undefined) return sameSecret(bearer.trim(), token);
      return validSession(readCookie(cookie, SESSION_COOKIE), now);
    },
    isToken: (given) => sameSecret(given, token),
    sessionCookie(now, secure) {
      const expires = (now + SESSION_MS).toString(36);
      const value = `${SCHEME}.${expires}.${mac(expires)}`;
      return `${SESSION_COOKIE}=${value}; ${attributes}; Max-Age=${SESSION_MS / 1000}${secure ? '; Secure' : ''}`;
    },
    clearCookie: `${SESSION_COOKIE}=; ${attributes}; Max-Age=0`,
  };
}
