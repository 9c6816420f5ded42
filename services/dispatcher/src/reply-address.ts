// Reply-To addresses carry the command id in a sub-address (`reply+<commandId>@<domain>`, RFC 5233 style),
// so a reply can be matched back to the command, and through it to the customer, without a mailbox per
// person and without trusting anything the reply's sender wrote.

const LOCAL_PART_PREFIX = 'reply+';
const COMMAND_ID = /^cmd-[0-9a-f]{1,252}$/;

/** Pure. The Reply-To of the email a command produces. */
export function replyAddressFor(commandId: string, replyDomain: string): string {
  return `${LOCAL_PART_PREFIX}${commandId}@${replyDomain}`;
}

/**
 * Pure. The command id a reply address names, or null when the address is not one of ours (another
 * domain, another local part, a malformed id). Domain and local part compare case-blind: mail systems
 * on the way may change the case of either.
 */
export function parseReplyAddress(address: string, replyDomain: string): string | null {
  const at = address.lastIndexOf('@');
  if (at < 0) return null;
  const local = address.slice(0, at).toLowerCase();
  const domain = address.slice(at + 1).toLowerCase();
  if (domain !== replyDomain.toLowerCase() || !local.startsWith(LOCAL_PART_PREFIX)) return null;
  const commandId = local.slice(LOCAL_PART_PREFIX.length);
  return COMMAND_ID.test(commandId) ? commandId : null;
}
