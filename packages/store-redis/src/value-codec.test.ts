import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KEY_DICTIONARY, packValue, unpackValue, VALUE_DICTIONARY } from './value-codec';

const json = (value: unknown) => JSON.stringify(value);

describe('the compact value encoding', () => {
  it('reads back every JSON value as it was written', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        // compared as JSON text: -0 and 0 are one number in JSON
        expect(json(unpackValue(packValue(value)))).toBe(json(value));
      }),
      { numRuns: 500 },
    );
  });

  it('reads back repeated strings, timestamps, ids, dictionary keys and values and odd keys exactly', () => {
    const words = fc.constantFrom(
      'whitepaper-nurture',
      'tmr-0123456789abcdef',
      'tmr-3f0213a0f2fc58f0c4ac3192e69db77c',
      'short',
      '2026-11-23T10:00:00.000Z',
      '2026-11-23T10:00:00Z',
      '__proto__',
      ...KEY_DICTIONARY,
      ...VALUE_DICTIONARY,
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        words,
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(words, tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        expect(json(unpackValue(packValue(v)))).toBe(json(v));
      }),
      { numRuns: 500 },
    );
  });

  it('is smaller than JSON for a typical state: keys, timestamps and repeats are stored once', () => {
    const state = {
      customerId: 'cust-123',
      active: {
        'contact-inquiry': {
          journey: 'contact-inquiry',
          enteredAt: '2026-12-01T17:17:22.027Z',
          timers: { 'xstate.after.P2D.contact-inquiry.answered': 'tmr-3f0213a0f2fc58f0c4ac3192e69db77c' },
        },
      },
      timer: {
        id: 'tmr-3f0213a0f2fc58f0c4ac3192e69db77c',
        event: 'xstate.after.P2D.contact-inquiry.answered',
      },
    };
    expect(packValue(state).length).toBeLessThan(json(state).length * 0.6);
  });

  it('refuses bytes it did not write', () => {
    expect(() => unpackValue(Buffer.from([0x92, 0x01]))).toThrow(/not MessagePack/);
  });
});
