import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BaseConfig, ConfigError, httpPort, loadConfig } from './config';

describe('loadConfig', () => {
  it('applies the defaults of the contract', () => {
    const config = loadConfig(BaseConfig, {});
    expect(config).toEqual({
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      REDIS_URL: 'redis://127.0.0.1:6379',
      TACTFUL_NAMESPACE: 'tactful',
      LOG_LEVEL: 'info',
    });
  });

  it('splits a comma-separated broker list', () => {
    const config = loadConfig(BaseConfig, { KAFKA_BROKERS: 'a:9092, b:9093' });
    expect(config.KAFKA_BROKERS).toEqual(['a:9092', 'b:9093']);
  });

  it('lists every problem at once, by variable', () => {
    const schema = BaseConfig.extend({ TACTFUL_HTTP_PORT: httpPort });
    let caught: unknown;
    try {
      loadConfig(schema, {
        KAFKA_BROKERS: 'no-port',
        REDIS_URL: 'http://x',
        TACTFUL_NAMESPACE: 'bad name',
        LOG_LEVEL: 'loud',
        TACTFUL_HTTP_PORT: '99999',
      });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const error = caught as ConfigError;
    expect(error.code).toBe('config.invalid');
    expect(error.problems.map((p) => p.variable).sort()).toEqual(
      ['KAFKA_BROKERS', 'LOG_LEVEL', 'REDIS_URL', 'TACTFUL_HTTP_PORT', 'TACTFUL_NAMESPACE'].sort(),
    );
    expect(error.message).toContain('5 problems');
  });

  it('reports a required variable that is missing', () => {
    const schema = z.object({
      TACTFUL_SMTP_URL: z.string({ error: 'required: where the dispatcher delivers email' }),
    });
    expect(() => loadConfig(schema, {})).toThrow(/TACTFUL_SMTP_URL: required/);
  });
});
