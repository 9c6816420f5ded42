import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createConsoleAuth, readCookie, SESSION_COOKIE, SESSION_MS } from './console-auth';

const TOKEN = 'a-console-token-of-some-length';
const NOW = Date.parse('2026-11-23T10:00:00Z');
const auth = createConsoleAuth(TOKEN);
const sessionOf = (setCookie: string) => setCookie.split(';')[0]!;

describe('console authentication', () => {
  it('accepts the token as a bearer, and nothing else', () => {
    expect(auth.authorized({ authorization: `Bearer ${TOKEN}` }, NOW)).toBe(true);
    expect(auth.authorized({ authorization: `bearer ${TOKEN}` }, NOW)).toBe(true);
    for (const authorization of [
      undefined,
      '',
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.slice(1)}`,
      `Basic ${TOKEN}`,
    ])
      expect(auth.authorized({ authorization }, NOW)).toBe(false);
  });

  it('sets an HttpOnly, SameSite=Strict session cookie that is not the token and lasts 12 hours', () => {
    const cookie = auth.sessionCookie(NOW, false);
    expect(cookie).toMatch(
      new RegExp(
        `^${SESSION_COOKIE}=v1\\.[0-9a-z]+\\.[0-9a-f]{64}; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200$`,
      ),
    );
    expect(cookie).not.toContain(TOKEN);
    expect(auth.sessionCookie(NOW, true)).toMatch(/; Secure$/);
    const header = `theme=dark; ${sessionOf(cookie)}`;
    expect(auth.authorized({ cookie: header }, NOW + SESSION_MS - 1)).toBe(true);
    expect(auth.authorized({ cookie: header }, NOW + SESSION_MS)).toBe(false);
    // another token (a rotated one) ends every session
    expect(createConsoleAuth(`${TOKEN}-rotated`).authorized({ cookie: header }, NOW)).toBe(false);
    expect(auth.clearCookie).toMatch(/^tactful_console=; .*Max-Age=0$/);
  });

  it('refuses any altered session cookie', () => {
    const value = sessionOf(auth.sessionCookie(NOW, false)).slice(SESSION_COOKIE.length + 1);
    fc.assert(
      fc.property(fc.nat({ max: value.length - 1 }), fc.constantFrom(...'0123456789abcdefz.'), (at, char) => {
        const altered = value.slice(0, at) + char + value.slice(at + 1);
        fc.pre(altered !== value);
        return !auth.authorized({ cookie: `${SESSION_COOKIE}=${altered}` }, NOW);
      }),
    );
    // a later expiry written by hand does not carry a valid MAC
    const [, , mac] = value.split('.');
    const forged = `v1.${(NOW + 10 * SESSION_MS).toString(36)}.${mac}`;
    expect(auth.authorized({ cookie: `${SESSION_COOKIE}=${forged}` }, NOW)).toBe(false);
  });

  it('checks the login form’s token', () => {
    expect(auth.isToken(TOKEN)).toBe(true);
    expect(auth.isToken(`${TOKEN} `)).toBe(false);
    expect(auth.isToken('')).toBe(false);
  });

  it('reads one cookie of a Cookie header', () => {
    expect(readCookie('a=1; tactful_console=v1.x.y; b=2', 'tactful_console')).toBe('v1.x.y');
    expect(readCookie('xtactful_console=1', 'tactful_console')).toBeUndefined();
    expect(readCookie(undefined, 'tactful_console')).toBeUndefined();
  });
});
