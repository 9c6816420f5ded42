import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createLinkSigner,
  LINK_SECRET_MIN_BYTES,
  linkSecretProblem,
  SIGNATURE_CHARS,
} from './link-signature';

const SECRET = 'k'.repeat(LINK_SECRET_MIN_BYTES);

describe('link signatures', () => {
  const signer = createLinkSigner(SECRET);

  it('are base-36, lower case, of the length of their purpose, and the same every time', () => {
    for (const purpose of ['reply', 'unsubscribe'] as const) {
      const signature = signer.sign(purpose, 'cmd-0123');
      expect(signature).toMatch(new RegExp(`^[0-9a-z]{${SIGNATURE_CHARS[purpose]}}$`));
      expect(signer.sign(purpose, 'cmd-0123')).toBe(signature);
      expect(signer.verify(purpose, 'cmd-0123', signature)).toBe(true);
      expect(signer.verify(purpose, 'cmd-0123', signature.toUpperCase())).toBe(true);
    }
  });

  it('depend on the secret, the purpose and the payload', () => {
    const other = createLinkSigner('x'.repeat(LINK_SECRET_MIN_BYTES));
    const reply = signer.sign('reply', 'cmd-0123');
    expect(other.verify('reply', 'cmd-0123', reply)).toBe(false);
    expect(signer.verify('reply', 'cmd-0124', reply)).toBe(false);
    expect(signer.verify('unsubscribe', 'cmd-0123', signer.sign('reply', 'cmd-0123').padEnd(25, '0'))).toBe(
      false,
    );
  });

  it('refuse a signature of another length, empty or truncated', () => {
    const reply = signer.sign('reply', 'cmd-0123');
    for (const bad of ['', reply.slice(1), `${reply}0`, reply.slice(0, 10)])
      expect(signer.verify('reply', 'cmd-0123', bad)).toBe(false);
  });

  it('refuse every signature but the right one, for any payload', () => {
    fc.assert(
      fc.property(fc.string(), fc.stringMatching(/^[0-9a-z]{20}$/), (payload, guess) => {
        const right = signer.sign('reply', payload);
        return signer.verify('reply', payload, guess) === (guess === right);
      }),
    );
  });

  it('need a secret of at least 32 bytes, counted in UTF-8', () => {
    expect(linkSecretProblem('k'.repeat(31))).toMatch(/at least 32 bytes \(it has 31\)/);
    expect(linkSecretProblem('é'.repeat(16))).toBeNull();
    expect(() => createLinkSigner('short')).toThrow(/TACTFUL_LINK_SECRET: must be at least 32 bytes/);
  });
});
