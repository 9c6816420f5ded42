import { createHmac, timingSafeEqual } from 'node:crypto';
import { TactfulError } from './errors';

// Reply addresses (and, later, unsubscribe tokens) name a command or a customer; anyone could compute
// those names, so each one carries a MAC under TACTFUL_LINK_SECRET (CONTRACT.md sections 1 and 4) that
// only Tactful can make. One signer for every kind of link, each kind under a purpose of its own, so a
// signature made for one purpose is never accepted for another.

/** TACTFUL_LINK_SECRET must be at least this long (UTF-8 bytes): 256 bits of key for HMAC-SHA-256. */
export const LINK_SECRET_MIN_BYTES = 32;

/**
 * What a signature is for, and its length in base-36 characters (digits and lower-case letters, so it
 * survives mail systems that change the case of an address). A reply MAC of 20 characters is 103 bits,
 * out of reach of guessing through an SMTP server, and keeps `reply+<command id>.<mac>` within the 64
 * octets RFC 5321 allows a local part; an unsubscribe token, in a URL, has room for 129 bits.
 */
export const SIGNATURE_CHARS = { reply: 20, unsubscribe: 25 } as const;
export type SignaturePurpose = keyof typeof SIGNATURE_CHARS;

export interface LinkSigner {
  /** Pure. The signature of `payload` for `purpose`: base-36, lower case, `SIGNATURE_CHARS[purpose]` long. */
  sign(purpose: SignaturePurpose, payload: string): string;
  /** Pure. Whether `signature` (any case) is the one of `payload` for `purpose`; constant time. */
  verify(purpose: SignaturePurpose, payload: string, signature: string): boolean;
}

/** Pure. Whether `secret` is long enough to sign with; the message says what is wrong, else null. */
export function linkSecretProblem(secret: string): string | null {
  const bytes = Buffer.byteLength(secret, 'utf8');
  return bytes >= LINK_SECRET_MIN_BYTES
    ? null
    : `must be at least ${LINK_SECRET_MIN_BYTES} bytes (it has ${bytes}); e.g. the output of \`openssl rand -hex 32\``;
}

/**
 * Pure. A signer keyed by `secret` (HMAC-SHA-256 of the purpose and the payload, 128 bits of it read as
 * a base-36 number). Throws `config.invalid` for a secret shorter than `LINK_SECRET_MIN_BYTES`.
 */
export function createLinkSigner(secret: string): LinkSigner {
  const problem = linkSecretProblem(secret);
  if (problem !== null) throw new TactfulError('config.invalid', `TACTFUL_LINK_SECRET: ${problem}`);
  const key = Buffer.from(secret, 'utf8');

  const sign = (purpose: SignaturePurpose, payload: string): string => {
    const chars = SIGNATURE_CHARS[purpose];
    // the purpose and the payload as a JSON array: no two (purpose, payload) pairs share their bytes
    const digest = createHmac('sha256', key)
      .update(JSON.stringify(['tactful.link.v1', purpose, payload]), 'utf8')
      .digest();
    const value = BigInt(`0x${digest.subarray(0, 16).toString('hex')}`) % 36n ** BigInt(chars);
    return value.toString(36).padStart(chars, '0');
  };

  return {
    sign,
    verify(purpose, payload, signature) {
      const given = Buffer.from(signature.toLowerCase(), 'utf8');
      const expected = Buffer.from(sign(purpose, payload), 'utf8');
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}
