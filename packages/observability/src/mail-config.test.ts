import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, TactfulEnv } from './config';

// The dispatcher's variables: defaults that work on a laptop, and refusals that say what is wrong.
describe('the dispatcher’s configuration', () => {
  it('has defaults for the From, the reply domain and the lease, and no inbound port', () => {
    const config = loadConfig(TactfulEnv, {});
    expect(config.TACTFUL_MAIL_FROM).toBe('Tactful <outreach@tactful.local>');
    expect(config.TACTFUL_REPLY_DOMAIN).toBe('replies.tactful.local');
    expect(config.TACTFUL_DELIVERY_LEASE_MS).toBe(60_000);
    expect(config.TACTFUL_SMTP_INBOUND_PORT).toBeUndefined();
    expect(config.TACTFUL_SMTP_URL).toBeUndefined();
  });

  it('reads them', () => {
    const config = loadConfig(TactfulEnv, {
      TACTFUL_MAIL_FROM: 'outreach@example.com',
      TACTFUL_REPLY_DOMAIN: 'replies.example.com',
      TACTFUL_SMTP_INBOUND_PORT: '2525',
      TACTFUL_DELIVERY_LEASE_MS: '5000',
      TACTFUL_SMTP_URL: 'smtp://user:secret@mail.example.com:587',
    });
    expect(config).toMatchObject({ TACTFUL_SMTP_INBOUND_PORT: 2525, TACTFUL_DELIVERY_LEASE_MS: 5000 });
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      loadConfig(TactfulEnv, {
        TACTFUL_MAIL_FROM: 'Tactful',
        TACTFUL_REPLY_DOMAIN: 'not a domain',
        TACTFUL_SMTP_INBOUND_PORT: '70000',
        TACTFUL_DELIVERY_LEASE_MS: '10',
        TACTFUL_SMTP_URL: 'mail.example.com',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.variable).sort()).toEqual([
      'TACTFUL_DELIVERY_LEASE_MS',
      'TACTFUL_MAIL_FROM',
      'TACTFUL_REPLY_DOMAIN',
      'TACTFUL_SMTP_INBOUND_PORT',
      'TACTFUL_SMTP_URL',
    ]);
  });
});
