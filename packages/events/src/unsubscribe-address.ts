import type { LinkSigner } from './link-signature';
import { parseUnsubscribeToken, type UnsubscribeToken } from './unsubscribe-token';

// The `mailto:` of `List-Unsubscribe` (CONTRACT.md section 4) carries the signed token in a sub-address of
// the reply domain, `unsubscribe+<token>@<domain>`: the dispatcher writes it into each marketing email, the
// gateway's inbound SMTP reads it, and both must agree on the text.

/** The local part of the `mailto:` unsubscribe address, before the token. */
export const UNSUBSCRIBE_LOCAL_PREFIX = 'unsubscribe+';

/** Pure. The `mailto:` unsubscribe address of a signed token (without the `mailto:` scheme). */
export function unsubscribeAddressFor(signed: string, replyDomain: string): string {
  return `${UNSUBSCRIBE_LOCAL_PREFIX}${signed}@${replyDomain}`;
}

/**
 * Pure. What an address of the `mailto:` unsubscribe says: `undefined` when it is not an unsubscribe
 * address at all (another local part or domain), null when it is one with a token this secret did not
 * sign (forged, altered), else the token. Case-blind, like reply addresses: a mail system on the way may
 * change the case of the local part, and tokens are lower case.
 */
export function parseUnsubscribeAddress(
  address: string,
  replyDomain: string,
  signer: LinkSigner,
): { token: UnsubscribeToken; signed: string } | null | undefined {
  const at = address.lastIndexOf('@');
  if (at < 0) return undefined;
  const local = address.slice(0, at).toLowerCase();
  if (address.slice(at + 1).toLowerCase() !== replyDomain.toLowerCase()) return undefined;
  if (!local.startsWith(UNSUBSCRIBE_LOCAL_PREFIX)) return undefined;
  const signed = local.slice(UNSUBSCRIBE_LOCAL_PREFIX.length);
  const token = parseUnsubscribeToken(signer, signed);
  return token === null ? null : { token, signed };
}
