import { describe, expect, it } from 'vitest';
import { checkBearerToken } from './bearer-token';

const TOKEN = 'an-ingest-token-of-some-length';

describe('checkBearerToken', () => {
  it('accepts the token with the Bearer scheme, in any case', () => {
    expect(checkBearerToken(`Bearer ${TOKEN}`, TOKEN)).toBe('ok');
    expect(checkBearerToken(`bearer ${TOKEN}`, TOKEN)).toBe('ok');
  });

  it('tells a missing header from a wrong one', () => {
    expect(checkBearerToken(undefined, TOKEN)).toBe('missing');
    expect(checkBearerToken('  ', TOKEN)).toBe('missing');
    expect(checkBearerToken(`Bearer ${TOKEN}x`, TOKEN)).toBe('invalid');
    expect(checkBearerToken(`Bearer ${TOKEN.slice(1)}`, TOKEN)).toBe('invalid');
    expect(checkBearerToken(`Basic ${TOKEN}`, TOKEN)).toBe('invalid');
    expect(checkBearerToken(TOKEN, TOKEN)).toBe('invalid');
    expect(checkBearerToken('Bearer', TOKEN)).toBe('invalid');
  });
});
