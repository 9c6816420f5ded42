import type { LinkSigner } from './link-signature';

// Reply-To addresses carry the command id in a sub-address, `reply+<commandId>.<mac>@<domain>` (RFC 5233
// style), so a reply can be matched back to the command, and through it to the customer, without a
// mailbox per person. The command id alone is no secret (it is a hash of the customer, journey and stage,
// and the console lists it), so the address also carries a MAC of it under TACTFUL_LINK_SECRET: only an
// address Tactful itself wrote into an email is accepted, and nobody can halt a person's journeys by
// mailing an address computed from their customer id.

const LOCAL_PART_PREFIX = 'reply+';
const SUB_ADDRESS = /^(cmd-[0-9a-f]{1,252})\.([0-9a-z]+)$/;

/** Pure. The Reply-To of the email a command produces. */
export function replyAddressFor(commandId: string, replyDomain: string, signer: LinkSigner): string {
  return `${LOCAL_PART_PREFIX}${commandId}.${signer.sign('reply', commandId)}@${replyDomain}`;
}

/**
 * Pure. The command id a reply address names, or null when the address is not one Tactful wrote: another
 * domain, another local part, a malformed id, a missing MAC or one that does not match (forged or
 * altered). Domain and local part compare case-blind: mail systems on the way may change the case of
 * either, and command ids and MACs are lower case.
 */
export function parseReplyAddress(address: string, replyDomain: string, signer: LinkSigner): string | null {
  const at = address.lastIndexOf('@');
  if (at < 0) return null;
  const local = address.slice(0, at).toLowerCase();
  const domain = address.slice(at + 1).toLowerCase();
  if (domain !== replyDomain.toLowerCase() || !local.startsWith(LOCAL_PART_PREFIX)) return null;
  const parts = SUB_ADDRESS.exec(local.slice(LOCAL_PART_PREFIX.length));
  if (parts === null) return null;
  const [, commandId, mac] = parts;
  return commandId !== undefined && mac !== undefined && signer.verify('reply', commandId, mac)
    ? commandId
    : null;
}
