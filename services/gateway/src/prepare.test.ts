import { describe, expect, it } from 'vitest';
import { loadConfig, TactfulEnv } from '@tactful/observability';
import { prepareGateway } from './prepare';

const secret = 'a-gateway-test-secret-of-32-bytes-or-more';

describe('prepareGateway', () => {
  it('leaves reply capture off without TACTFUL_SMTP_INBOUND_PORT, with or without a link secret', () => {
    expect(prepareGateway(loadConfig(TactfulEnv, {})).inbound).toBeUndefined();
    expect(prepareGateway(loadConfig(TactfulEnv, { TACTFUL_LINK_SECRET: secret })).inbound).toBeUndefined();
  });

  it('runs reply capture on the inbound port, on loopback and for the default reply domain unless told', () => {
    const env = { TACTFUL_SMTP_INBOUND_PORT: '2525', TACTFUL_LINK_SECRET: secret };
    const defaults = loadConfig(TactfulEnv, {});
    expect(prepareGateway(loadConfig(TactfulEnv, env)).inbound).toEqual({
      port: 2525,
      host: '127.0.0.1',
      replyDomain: defaults.TACTFUL_REPLY_DOMAIN,
    });
    expect(
      prepareGateway(
        loadConfig(TactfulEnv, {
          ...env,
          TACTFUL_SMTP_INBOUND_HOST: '0.0.0.0',
          TACTFUL_REPLY_DOMAIN: 'replies.example.com',
        }),
      ).inbound,
    ).toEqual({ port: 2525, host: '0.0.0.0', replyDomain: 'replies.example.com' });
  });

  it('refuses reply capture without TACTFUL_LINK_SECRET, and says why', () => {
    expect(() => prepareGateway(loadConfig(TactfulEnv, { TACTFUL_SMTP_INBOUND_PORT: '2525' }))).toThrow(
      expect.objectContaining({
        code: 'config.invalid',
        message: expect.stringMatching(/TACTFUL_LINK_SECRET: unset; reply capture/),
      }),
    );
  });
});
