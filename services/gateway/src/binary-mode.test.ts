import { describe, expect, it } from 'vitest';
import { validateEvent } from '@tactful/events';
import { isBinaryMode, readBinaryEvent } from './binary-mode';

const headers = {
  'content-type': 'application/json',
  'ce-specversion': '1.0',
  'ce-id': 'evt-open-1',
  'ce-source': 'esp/webhooks',
  'ce-type': 'email.opened',
  'ce-subject': 'cust-42',
  'ce-time': '2026-11-23T11:00:00+01:00',
};
const data = Buffer.from('{"template":"wp-welcome"}');

describe('readBinaryEvent', () => {
  it('gives the structured envelope, extensions included, time as sent', () => {
    const read = readBinaryEvent({ ...headers, 'ce-traceparent': '00-abc-01' }, data);
    expect(read).toEqual({
      ok: true,
      value: {
        specversion: '1.0',
        id: 'evt-open-1',
        source: 'esp/webhooks',
        type: 'email.opened',
        subject: 'cust-42',
        time: '2026-11-23T11:00:00+01:00',
        datacontenttype: 'application/json',
        traceparent: '00-abc-01',
        data: { template: 'wp-welcome' },
      },
    });
    if (read.ok) expect(validateEvent(read.value).ok).toBe(true);
  });

  it.each(['ce-id', 'ce-time', 'ce-specversion'] as const)(
    'refuses a request without %s rather than letting the SDK fill it in',
    (header) => {
      const { [header]: _dropped, ...rest } = headers;
      expect(readBinaryEvent(rest, data)).toMatchObject({
        ok: false,
        rejection: { reason: 'schema_violation', path: header.slice(3) },
      });
    },
  );

  it('keeps an unreadable ce-time for validation to refuse (the SDK would put "now" in its place)', () => {
    const read = readBinaryEvent({ ...headers, 'ce-time': 'yesterday' }, data);
    expect(read).toMatchObject({ ok: true, value: { time: 'yesterday' } });
    if (read.ok) expect(validateEvent(read.value)).toMatchObject({ ok: false, rejection: { path: 'time' } });
  });

  it('refuses a body that is not JSON', () => {
    expect(readBinaryEvent(headers, Buffer.from('template=wp-welcome'))).toMatchObject({
      ok: false,
      rejection: { reason: 'invalid_json' },
    });
  });
});

describe('isBinaryMode', () => {
  it('is any ce-* header', () => {
    expect(isBinaryMode({ 'ce-id': 'x' })).toBe(true);
    expect(isBinaryMode({ 'content-type': 'application/json', cookie: 'ce-id=1' })).toBe(false);
  });

  // regression: a JSON string body such as "[" was read as JSON text again by the SDK, which threw a
  // SyntaxError that the gateway answered with a 500
  it.each(['"["', '"hello"', '[]', '42', 'null'])(
    'refuses the body %s: data must be a JSON object',
    (body) => {
      expect(readBinaryEvent(headers, Buffer.from(body))).toMatchObject({
        ok: false,
        rejection: { reason: 'schema_violation', path: 'data' },
      });
    },
  );
});
