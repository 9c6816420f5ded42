import { afterEach, describe, expect } from 'vitest';
import { parseReplyAddress, parseUnsubscribeAddress } from '@tactful/events';
import { eventually, test } from '@tactful/testing';
import { commandFor, startKit, type Kit } from './test-kit';

// What the dispatcher leaves for reply capture (the gateway's inbound SMTP): a Reply-To and a mailto:
// unsubscribe that the readers of @tactful/events accept, and the reply route in Redis, written before the
// email left, that the gateway reads through the store.

describe('reply routes', () => {
  const kits: Kit[] = [];
  afterEach(async () => {
    await Promise.all(kits.splice(0).map((k) => k.close()));
  });

  test('a delivered email carries a signed Reply-To and mailto: of the reply domain, and its route is in the store', async ({
    kafka,
    redis,
  }) => {
    const kit = await startKit(kafka, redis);
    kits.push(kit);
    const command = { ...commandFor('ann'), topic: 'newsletter' };
    await kit.publish([command]);
    const delivered = await eventually('the email', () => kit.sink.received[0]);
    const replyTo = delivered.mail.replyTo?.value[0]?.address ?? '';
    expect(parseReplyAddress(replyTo, 'replies.example.com', kit.prepared.signer)).toBe(command.id);
    const header = delivered.mail.headerLines.find((h) => h.key === 'list-unsubscribe')?.line ?? '';
    const mailto = /<mailto:([^>]+)>/.exec(header.replace(/\r\n\s+/g, ' '))?.[1] ?? '';
    expect(parseUnsubscribeAddress(mailto, 'replies.example.com', kit.prepared.signer)?.token).toEqual({
      customerId: 'ann',
      commandId: command.id,
      topic: 'newsletter',
    });
    expect(await kit.store.replyRoute(command.id)).toEqual({
      customerId: 'ann',
      journey: command.journey,
      template: command.template,
    });
  });
});
