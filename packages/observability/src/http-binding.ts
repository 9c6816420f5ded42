import { z } from 'zod';

// The ops server carries the console, whose API names every customer and decision. Without a console
// token nothing on it may be reachable from another machine (CONTRACT.md section 1), so the address is
// decided here, once, for every process that runs an HTTP server.

export const LOOPBACK_HOST = '127.0.0.1';
const EVERY_INTERFACE = '0.0.0.0';

/** Pure. Whether `host` names this machine only (127.0.0.0/8, `::1`, `localhost`). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(?:\.\d{1,3}){3}$/.test(bare);
}

export interface HttpBinding {
  /** The address to listen on. */
  readonly host: string;
  /** No console token: loopback only, whatever else was asked. */
  readonly loopbackOnly: boolean;
}

/**
 * Pure. Where the HTTP server listens: with `TACTFUL_CONSOLE_TOKEN`, on `TACTFUL_HTTP_HOST` (default every
 * interface, so a container platform's probes and Prometheus reach it); without it, on loopback only
 * (`TACTFUL_HTTP_HOST` may then name a loopback address, which `httpHostCheck` enforces).
 */
export function httpBindingFor(env: {
  readonly TACTFUL_CONSOLE_TOKEN?: string | undefined;
  readonly TACTFUL_HTTP_HOST?: string | undefined;
}): HttpBinding {
  if (env.TACTFUL_CONSOLE_TOKEN !== undefined)
    return { host: env.TACTFUL_HTTP_HOST ?? EVERY_INTERFACE, loopbackOnly: false };
  const host =
    env.TACTFUL_HTTP_HOST !== undefined && isLoopbackHost(env.TACTFUL_HTTP_HOST)
      ? env.TACTFUL_HTTP_HOST
      : LOOPBACK_HOST;
  return { host, loopbackOnly: true };
}

/**
 * A check for a config schema with both variables: a non-loopback `TACTFUL_HTTP_HOST` without a console
 * token is refused at start rather than quietly ignored. It runs even when other variables are invalid,
 * so the start is refused with every problem at once.
 */
export const httpHostCheck = z.refine<{ TACTFUL_CONSOLE_TOKEN?: unknown; TACTFUL_HTTP_HOST?: unknown }>(
  (env) =>
    typeof env.TACTFUL_HTTP_HOST !== 'string' ||
    env.TACTFUL_CONSOLE_TOKEN !== undefined ||
    isLoopbackHost(env.TACTFUL_HTTP_HOST),
  {
    path: ['TACTFUL_HTTP_HOST'],
    message:
      'is not a loopback address, and without TACTFUL_CONSOLE_TOKEN the HTTP server listens on loopback only (set a console token to listen elsewhere)',
    when: () => true,
  },
);
