import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLinkSigner } from './link-signature';
import { parseReplyAddress, replyAddressFor } from './reply-address';

const id = 'cmd-0123456789abcdef0123456789abcdef';
const signer = createLinkSigner('a-secret-of-at-least-thirty-two-bytes!!');
const domain = 'replies.example.com';

describe('reply addresses', () => {
  const address = replyAddressFor(id, domain, signer);
  const mac = signer.sign('reply', id);

  it('name the command and its MAC in a sub-address of the reply domain, within 64 octets', () => {
    expect(address).toBe(`reply+${id}.${mac}@${domain}`);
    expect(address.slice(0, address.indexOf('@')).length).toBeLessThanOrEqual(64);
  });

  it('read back the command id, whatever case the mail systems on the way used', () => {
    expect(parseReplyAddress(address, domain, signer)).toBe(id);
    expect(parseReplyAddress(address.toUpperCase(), domain, signer)).toBe(id);
    expect(parseReplyAddress(`REPLY+${id}.${mac}@Replies.Example.COM`, domain, signer)).toBe(id);
  });

  it.each([
    ['no MAC (the address anyone could compute from a customer id)', `reply+${id}@${domain}`],
    ['an empty MAC', `reply+${id}.@${domain}`],
    ['the MAC of another command', `reply+${id}.${signer.sign('reply', 'cmd-1')}@${domain}`],
    ['a MAC under another secret', replyAddressFor(id, domain, createLinkSigner('x'.repeat(32)))],
    ['another domain', `reply+${id}.${mac}@example.com`],
    ['a sub-domain', `reply+${id}.${mac}@x.${domain}`],
    ['no sub-address', `reply@${domain}`],
    ['another local part', `ann+${id}.${mac}@${domain}`],
    ['not a command id', `reply+evt-1.${mac}@${domain}`],
    ['no domain', `reply+${id}.${mac}`],
    ['two ids', `reply+${id}+${id}.${mac}@${domain}`],
  ])('refuses %s', (_what, refused) => {
    expect(parseReplyAddress(refused, domain, signer)).toBeNull();
  });

  it('reads back every address it makes', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^cmd-[0-9a-f]{1,64}$/),
        fc.domain(),
        (commandId, d) => parseReplyAddress(replyAddressFor(commandId, d, signer), d, signer) === commandId,
      ),
    );
  });

  it('refuses every altered address: any character of the local part replaced, added or removed', () => {
    const local = address.slice(0, address.indexOf('@'));
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789+.-_';
    const edit = fc.oneof(
      fc.record({
        kind: fc.constant('replace' as const),
        at: fc.nat({ max: local.length - 1 }),
        char: fc.constantFrom(...alphabet),
      }),
      fc.record({
        kind: fc.constant('insert' as const),
        at: fc.nat({ max: local.length }),
        char: fc.constantFrom(...alphabet),
      }),
      fc.record({
        kind: fc.constant('delete' as const),
        at: fc.nat({ max: local.length - 1 }),
        char: fc.constant(''),
      }),
    );
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), (edits) => {
        let altered = local;
        for (const { kind, at, char } of edits) {
          const i = Math.min(at, altered.length - (kind === 'insert' ? 0 : 1));
          if (i < 0) continue;
          altered =
            kind === 'insert'
              ? altered.slice(0, i) + char + altered.slice(i)
              : altered.slice(0, i) + char + altered.slice(i + 1);
        }
        fc.pre(altered.toLowerCase() !== local);
        return parseReplyAddress(`${altered}@${domain}`, domain, signer) === null;
      }),
      { numRuns: 2000 },
    );
  });
});
