import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLinkSigner, LINK_SECRET_MIN_BYTES } from './link-signature';
import {
  isTokenCommandId,
  parseUnsubscribeToken,
  signUnsubscribeToken,
  type UnsubscribeToken,
} from './unsubscribe-token';

const signer = createLinkSigner('s'.repeat(LINK_SECRET_MIN_BYTES));
const COMMAND = 'cmd-0123456789abcdef0123456789abcdef';

// customer ids and topics as the event schemas allow them: well-formed Unicode, no control characters
const text = (max: number) =>
  fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: max })
    // eslint-disable-next-line no-control-regex -- the schemas refuse control characters
    .filter((s) => !/[\u0000-\u001f\u007f-\u009f]/.test(s));
const tokens: fc.Arbitrary<UnsubscribeToken> = fc.record(
  {
    customerId: text(64),
    commandId: fc.stringMatching(/^cmd-[0-9a-f]{1,64}$/),
    topic: text(40),
    test: fc.constant(true),
  },
  { requiredKeys: ['customerId', 'commandId'] },
);
const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

/** Every way a token's text can be changed: a character replaced, removed or added, cut, extended. */
const alteration = (token: string) =>
  fc.oneof(
    fc
      .record({ at: fc.nat({ max: token.length - 1 }), char: fc.constantFrom(...BASE36) })
      .filter(({ at, char }) => token[at] !== char)
      .map(({ at, char }) => `${token.slice(0, at)}${char}${token.slice(at + 1)}`),
    fc.nat({ max: token.length - 1 }).map((at) => `${token.slice(0, at)}${token.slice(at + 1)}`),
    fc
      .record({ at: fc.nat({ max: token.length }), char: fc.constantFrom(...BASE36) })
      .map(({ at, char }) => `${token.slice(0, at)}${char}${token.slice(at)}`),
    fc.nat({ max: token.length - 1 }).map((n) => token.slice(0, n)),
    fc.string({ minLength: 1, maxLength: 8 }).map((tail) => `${token}${tail}`),
  );

describe('unsubscribe tokens', () => {
  it('read back exactly what they were made from', () => {
    fc.assert(
      fc.property(tokens, (token) => {
        const signed = signUnsubscribeToken(signer, token);
        expect(signed).toMatch(/^[0-9a-z]+$/);
        expect(parseUnsubscribeToken(signer, signed)).toEqual(token);
      }),
    );
  });

  it('refuse any alteration of a token', () => {
    fc.assert(
      fc.property(
        tokens.chain((token) => {
          const signed = signUnsubscribeToken(signer, token);
          return alteration(signed).map((altered) => ({ signed, altered }));
        }),
        ({ signed, altered }) => {
          fc.pre(altered !== signed);
          expect(parseUnsubscribeToken(signer, altered)).toBeNull();
        },
      ),
    );
  });

  it('refuse a token signed with another secret, or for another purpose', () => {
    const token = { customerId: 'cust-42', commandId: COMMAND, topic: 'newsletter' };
    const other = createLinkSigner('o'.repeat(LINK_SECRET_MIN_BYTES));
    expect(parseUnsubscribeToken(other, signUnsubscribeToken(signer, token))).toBeNull();
    const signed = signUnsubscribeToken(signer, token);
    const payload = signed.slice(0, -25);
    expect(
      parseUnsubscribeToken(signer, `${payload}${signer.sign('reply', payload).padStart(25, '0')}`),
    ).toBe(null);
  });

  it('are compact, hold no address and no separator, and say test only for test copies', () => {
    const token = { customerId: 'cust-42', commandId: COMMAND, topic: 'newsletter' };
    const signed = signUnsubscribeToken(signer, token);
    expect(signed.length).toBeLessThan(100);
    expect(signed).not.toMatch(/[@.%]/);
    expect(parseUnsubscribeToken(signer, signed)?.test).toBeUndefined();
    expect(parseUnsubscribeToken(signer, signUnsubscribeToken(signer, { ...token, test: true }))?.test).toBe(
      true,
    );
  });

  it('refuse what is not base 36 lower case, and garbage of any kind', () => {
    const signed = signUnsubscribeToken(signer, { customerId: 'c', commandId: COMMAND });
    expect(parseUnsubscribeToken(signer, signed.toUpperCase())).toBeNull();
    expect(parseUnsubscribeToken(signer, '')).toBeNull();
    expect(parseUnsubscribeToken(signer, 'a-token')).toBeNull();
    fc.assert(fc.property(fc.string(), (garbage) => parseUnsubscribeToken(signer, garbage) === null));
  });

  it('name a command by its id only', () => {
    expect(isTokenCommandId(COMMAND)).toBe(true);
    expect(isTokenCommandId('cmd-XYZ')).toBe(false);
    expect(() => signUnsubscribeToken(signer, { customerId: 'c', commandId: 'evt-1' })).toThrow(RangeError);
  });
});
