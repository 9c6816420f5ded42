import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeKeyedMessage, typedObject } from './keyed-message';
import { parseCommand } from './parse-command';
import { parseEvent } from './parse-event';

const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

describe('decodeKeyedMessage', () => {
  it.each([
    ['no key', '{}', null, 'missing_key'],
    ['an empty key', '{}', '', 'missing_key'],
    ['no value', null, 'c-1', 'invalid_json'],
    ['not JSON', '{"a":', 'c-1', 'invalid_json'],
    ['nested 65 deep', nested(65), 'c-1', 'too_deep'],
    ['over the size limit', `"${'x'.repeat(300)}"`, 'c-1', 'too_large'],
    ['a __proto__ member', '{"__proto__":{}}', 'c-1', 'schema_violation'],
  ])('refuses %s', (_what, bytes, key, code) => {
    const decoded = decodeKeyedMessage(bytes, key, { keyIs: 'the customer id', maxBytes: 200 });
    expect(decoded).toMatchObject({ ok: false, rejection: { reason: code } });
  });

  it('hands back the value and the key, nested 64 deep at most', () => {
    const key = Buffer.from('c-1');
    expect(decodeKeyedMessage(nested(64), key, { keyIs: 'the customer id' })).toMatchObject({
      ok: true,
      key,
    });
  });
});

describe('typedObject', () => {
  it.each([['[]'], ['1'], ['null'], ['"x"']])('refuses %s: not an object', (json) => {
    expect(typedObject(JSON.parse(json), 'an event')).toMatchObject({
      ok: false,
      rejection: { reason: 'schema_violation', message: 'an event must be a JSON object' },
    });
  });

  it('refuses an object without a string type, at path type', () => {
    expect(typedObject({ type: 1 }, 'a command')).toMatchObject({ ok: false, rejection: { path: 'type' } });
  });
});

describe('events and commands share the guard chain', () => {
  it('for any bytes and key, both refuse alike up to the schema of each', () => {
    const shared = new Set(['missing_key', 'too_large', 'invalid_json', 'too_deep']);
    const bytes = fc.oneof(fc.string(), fc.json(), fc.constant(nested(70)), fc.constant(null));
    const key = fc.oneof(fc.constant(null), fc.constant(''), fc.string({ minLength: 1 }));
    fc.assert(
      fc.property(bytes, key, (b, k) => {
        const event = parseEvent(b, k, { maxBytes: 200 });
        const command = parseCommand(b, k, { maxBytes: 200 });
        const reasonOf = (r: typeof event | typeof command) => (r.ok ? 'ok' : r.rejection.reason);
        if (shared.has(reasonOf(event)) || shared.has(reasonOf(command))) {
          if (event.ok) throw new Error('an event passed where a command was refused by the shared chain');
          const message = event.rejection.message.replace(' (the subject)', '');
          expect(command).toEqual({ ...event, rejection: { ...event.rejection, message } });
        }
      }),
    );
  });
});
