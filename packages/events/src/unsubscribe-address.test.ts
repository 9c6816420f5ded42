import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLinkSigner } from './link-signature';
import { parseUnsubscribeAddress, unsubscribeAddressFor } from './unsubscribe-address';
import { signUnsubscribeToken, type UnsubscribeToken } from './unsubscribe-token';

const signer = createLinkSigner('an-unsubscribe-address-secret-of-32-bytes');
const domain = 'replies.example.com';
const token: UnsubscribeToken = {
  customerId: 'cust-42',
  commandId: 'cmd-0123456789abcdef0123456789abcdef',
  topic: 'newsletter',
};
const signed = signUnsubscribeToken(signer, token);

describe('unsubscribe addresses', () => {
  it('carry the signed token in a sub-address of the reply domain', () => {
    expect(unsubscribeAddressFor(signed, domain)).toBe(`unsubscribe+${signed}@${domain}`);
  });

  it('read back the token, whatever case the mail systems on the way used', () => {
    const address = unsubscribeAddressFor(signed, domain);
    expect(parseUnsubscribeAddress(address, domain, signer)).toEqual({ token, signed });
    expect(parseUnsubscribeAddress(address.toUpperCase(), 'REPLIES.example.com', signer)).toEqual({
      token,
      signed,
    });
  });

  it.each([
    ['another domain', `unsubscribe+${signed}@example.com`],
    ['another local part', `reply+${signed}@${domain}`],
    ['no domain', `unsubscribe+${signed}`],
  ])('are not unsubscribe addresses with %s', (_what, address) => {
    expect(parseUnsubscribeAddress(address, domain, signer)).toBeUndefined();
  });

  it('refuse a token signed under another secret, or altered', () => {
    const other = signUnsubscribeToken(createLinkSigner('x'.repeat(32)), token);
    expect(parseUnsubscribeAddress(unsubscribeAddressFor(other, domain), domain, signer)).toBeNull();
    expect(parseUnsubscribeAddress(`unsubscribe+${signed}x@${domain}`, domain, signer)).toBeNull();
  });

  it('read back every token they carry', () => {
    fc.assert(
      fc.property(
        fc.record({
          customerId: fc.stringMatching(/^[a-z0-9-]{1,40}$/),
          topic: fc.constantFrom('news', 'x'),
        }),
        fc.domain(),
        (t, d) => {
          const input = { ...t, commandId: token.commandId };
          const s = signUnsubscribeToken(signer, input);
          return parseUnsubscribeAddress(unsubscribeAddressFor(s, d), d, signer)?.signed === s;
        },
      ),
    );
  });
});
