import { describe, expect, it } from 'vitest';
import { commandIdFor } from './command-id';
import { parseCommand } from './parse-command';

const command = {
  id: commandIdFor({
    customerId: 'cust-42',
    journey: 'whitepaper-nurture',
    journeyVersion: 3,
    stage: 'checkIn',
    template: 'wp-checkin',
    causationId: 'evt-7f3a',
  }),
  type: 'email.send',
  customerId: 'cust-42',
  journey: 'whitepaper-nurture',
  journeyVersion: 3,
  stage: 'checkIn',
  template: 'wp-checkin',
  causationId: 'evt-7f3a',
  createdAt: '2026-11-23T10:00:01Z',
  to: 'ann@example.com',
  data: { formId: 'whitepaper-2026' },
};
const json = JSON.stringify(command);

describe('parseCommand', () => {
  it('reads a command keyed by its customer, from bytes or a string', () => {
    expect(parseCommand(Buffer.from(json), Buffer.from('cust-42'))).toEqual({ ok: true, command });
    expect(parseCommand(json, 'cust-42')).toEqual({ ok: true, command });
  });

  it.each([
    ['missing_key', json, null],
    ['missing_key', json, ''],
    ['invalid_json', null, 'cust-42'],
    ['invalid_json', Buffer.from([0xc3, 0x28]), 'cust-42'],
    ['invalid_json', '{"id": ', 'cust-42'],
    ['schema_violation', '[]', 'cust-42'],
    ['schema_violation', JSON.stringify({ ...command, type: 7 }), 'cust-42'],
    ['unknown_type', JSON.stringify({ ...command, type: 'sms.send' }), 'cust-42'],
    ['schema_violation', JSON.stringify({ ...command, id: 'evt-1' }), 'cust-42'],
    ['key_mismatch', json, 'cust-43'],
    ['too_deep', json.replace('"data":{', `"data":{"x":${'['.repeat(5000)}${']'.repeat(5000)},`), 'cust-42'],
    ['schema_violation', json.replace('"data":{', '"data":{"__proto__":{},'), 'cust-42'],
  ] as const)('refuses with %s', (reason, value, key) => {
    const result = parseCommand(value, key);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.rejection.reason).toBe(reason);
  });

  it('refuses a value over the size limit, and never quotes the content', () => {
    const result = parseCommand(json, 'cust-42', { maxBytes: 100 });
    expect(result).toMatchObject({ ok: false, rejection: { reason: 'too_large' } });
    const bad = parseCommand('{"to": "ann@example.com", ', 'cust-42');
    expect(JSON.stringify(bad)).not.toContain('ann@');
  });

  it('names the first failing member of a schema violation', () => {
    const result = parseCommand(JSON.stringify({ ...command, to: 'nope' }), 'cust-42');
    expect(result).toMatchObject({ ok: false, rejection: { reason: 'schema_violation', path: 'to' } });
  });
});
