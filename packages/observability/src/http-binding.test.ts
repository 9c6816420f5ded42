import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, TactfulEnv } from './config';
import { httpBindingFor, httpHostCheck, isLoopbackHost } from './http-binding';

const Env = TactfulEnv.check(httpHostCheck);
const TOKEN = 'a-console-token-of-16+';

describe('where the HTTP server listens', () => {
  it('on loopback only without a console token, whatever else is asked', () => {
    expect(httpBindingFor({})).toEqual({ host: '127.0.0.1', loopbackOnly: true });
    expect(httpBindingFor({ TACTFUL_HTTP_HOST: '0.0.0.0' })).toEqual({
      host: '127.0.0.1',
      loopbackOnly: true,
    });
    expect(httpBindingFor({ TACTFUL_HTTP_HOST: '::1' })).toEqual({ host: '::1', loopbackOnly: true });
  });

  it('on every interface with a console token, or on TACTFUL_HTTP_HOST', () => {
    expect(httpBindingFor({ TACTFUL_CONSOLE_TOKEN: TOKEN })).toEqual({
      host: '0.0.0.0',
      loopbackOnly: false,
    });
    expect(httpBindingFor({ TACTFUL_CONSOLE_TOKEN: TOKEN, TACTFUL_HTTP_HOST: '10.0.0.5' })).toEqual({
      host: '10.0.0.5',
      loopbackOnly: false,
    });
  });

  it.each([
    ['127.0.0.1', true],
    ['127.3.4.5', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['0.0.0.0', false],
    ['10.0.0.5', false],
    ['::', false],
    ['128.0.0.1', false],
  ])('%s is loopback: %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });

  it('refuses a non-loopback TACTFUL_HTTP_HOST without a console token, listed with every other problem', () => {
    let error: unknown;
    try {
      loadConfig(Env, { TACTFUL_HTTP_HOST: '0.0.0.0', TACTFUL_HTTP_PORT: 'eighty' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems.map((p) => p.variable).sort()).toEqual(['TACTFUL_HTTP_HOST', 'TACTFUL_HTTP_PORT']);
    expect(problems.find((p) => p.variable === 'TACTFUL_HTTP_HOST')?.problem).toMatch(
      /without TACTFUL_CONSOLE_TOKEN the HTTP server listens on loopback only/,
    );
    expect(() => loadConfig(Env, { TACTFUL_HTTP_HOST: '127.0.0.1' })).not.toThrow();
    expect(() =>
      loadConfig(Env, { TACTFUL_HTTP_HOST: '0.0.0.0', TACTFUL_CONSOLE_TOKEN: TOKEN }),
    ).not.toThrow();
  });

  it('reads the console token, the link secret and the hold bound, and refuses short ones', () => {
    const config = loadConfig(Env, {});
    expect(config.TACTFUL_HALT_SIGNAL_MAX_LAG_MS).toBe(5000);
    expect(config.TACTFUL_SMTP_INBOUND_HOST).toBe('127.0.0.1');
    expect(config.TACTFUL_LINK_SECRET).toBeUndefined();
    expect(config.TACTFUL_CONSOLE_TOKEN).toBeUndefined();
    const refused = () => loadConfig(Env, { TACTFUL_CONSOLE_TOKEN: 'short', TACTFUL_LINK_SECRET: 'short' });
    expect(refused).toThrow(/TACTFUL_CONSOLE_TOKEN: must be at least 16 characters/);
    expect(refused).toThrow(/TACTFUL_LINK_SECRET: must be at least 32 bytes \(it has 5\)/);
  });
});
