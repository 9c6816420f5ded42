import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseReplyAddress, replyAddressFor } from './reply-address';

const id = 'cmd-0123456789abcdef0123456789abcdef';

describe('reply addresses', () => {
  it('names the command in a sub-address of the reply domain', () => {
    expect(replyAddressFor(id, 'replies.example.com')).toBe(`reply+${id}@replies.example.com`);
  });

  it('reads back the command id, whatever case the mail systems on the way used', () => {
    expect(parseReplyAddress(`reply+${id}@replies.example.com`, 'replies.example.com')).toBe(id);
    expect(parseReplyAddress(`REPLY+${id.toUpperCase()}@Replies.Example.COM`, 'replies.example.com')).toBe(
      id,
    );
  });

  it.each([
    ['another domain', `reply+${id}@example.com`],
    ['a sub-domain', `reply+${id}@x.replies.example.com`],
    ['no sub-address', 'reply@replies.example.com'],
    ['another local part', `ann+${id}@replies.example.com`],
    ['not a command id', 'reply+evt-1@replies.example.com'],
    ['not hex', 'reply+cmd-xyz@replies.example.com'],
    ['no domain', `reply+${id}`],
    ['two ids', `reply+${id}+${id}@replies.example.com`],
  ])('refuses %s', (_what, address) => {
    expect(parseReplyAddress(address, 'replies.example.com')).toBeNull();
  });

  it('reads back every address it makes', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^cmd-[0-9a-f]{1,64}$/),
        fc.domain(),
        (commandId, domain) => parseReplyAddress(replyAddressFor(commandId, domain), domain) === commandId,
      ),
    );
  });
});
