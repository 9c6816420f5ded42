import nodemailer from 'nodemailer';
import { afterEach, describe, expect } from 'vitest';
import type { TactfulEvent } from '@tactful/events';
import { eventually, test } from '@tactful/testing';
import { commandFor, startKit, type Kit } from './test-kit';

// Reply capture: a person answers the email; their mail server delivers the answer to the Reply-To,
// which reaches the dispatcher's inbound SMTP port and becomes email.replied for the right customer.

describe('reply capture', () => {
  const kits: Kit[] = [];
  afterEach(async () => {
    await Promise.all(kits.splice(0).map((k) => k.close()));
  });

  test('a reply to the Reply-To becomes email.replied for the customer, with the new text only', async ({
    kafka,
    redis,
  }) => {
    const kit = await startKit(kafka, redis, { inbound: true });
    kits.push(kit);
    const command = commandFor('ann');
    await kit.publish([command]);
    const delivered = await eventually('the email', () => kit.sink.received[0]);
    const replyTo = delivered.mail.replyTo?.value[0]?.address;
    expect(replyTo).toBe(`reply+${command.id}@replies.example.com`);

    // the person's mail server, delivering to the reply domain's MX
    const port = kit.dispatcher.inboundPort!;
    const theirServer = nodemailer.createTransport({
      host: '127.0.0.1',
      port,
      secure: false,
      ignoreTLS: true,
    });
    const reply = {
      from: 'Ann <ann@example.com>',
      to: replyTo!,
      subject: `Re: ${delivered.mail.subject ?? ''}`,
      inReplyTo: delivered.mail.messageId!,
      messageId: '<reply-1@example.com>',
      text: [
        'No thanks, we chose another vendor.',
        '',
        `On Mon, 23 Nov 2026 at 10:00, Tactful <outreach@tactful.local> wrote:`,
        '> Hi ann,',
        '> Here is the white paper you asked for.',
      ].join('\n'),
    };
    await theirServer.sendMail(reply);
    // delivered twice (their server retried after a lost answer): one event id
    await theirServer.sendMail(reply);
    const replies = await eventually('email.replied twice', () => {
      const found = kit.events.json<TactfulEvent>().filter((e) => e.type === 'email.replied');
      return found.length >= 2 ? found : undefined;
    });
    expect(replies[0]).toMatchObject({
      type: 'email.replied',
      subject: 'ann',
      source: 'tactful/dispatcher',
      data: { commandId: command.id, text: 'No thanks, we chose another vendor.' },
    });
    expect(replies[1]?.id).toBe(replies[0]?.id);
    // the key is the customer, so the reply is ordered with the rest of what they did
    const message = kit.events.messages.find((m) => JSON.parse(m.value!.toString()).type === 'email.replied');
    expect(message?.key?.toString()).toBe('ann');
    expect(await kit.metrics.registry.metrics()).toContain(
      'tactful_replies_received_total{outcome="published"} 2',
    );
  });

  test('mail to any other address is refused with 550, and nothing is published', async ({
    kafka,
    redis,
  }) => {
    const kit = await startKit(kafka, redis, { inbound: true });
    kits.push(kit);
    const port = kit.dispatcher.inboundPort!;
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
    for (const to of [
      'postmaster@replies.example.com',
      'reply+cmd-0123456789abcdef0123456789abcdef@replies.example.com', // well-formed, never delivered
      `reply+cmd-0123456789abcdef0123456789abcdef@elsewhere.example.com`,
    ]) {
      await expect(
        transport.sendMail({ from: 'x@example.com', to, subject: 'hi', text: 'hi' }),
      ).rejects.toMatchObject({
        responseCode: 550,
      });
    }
    expect(await kit.metrics.registry.metrics()).toContain(
      'tactful_replies_received_total{outcome="refused"} 3',
    );
    expect(kit.events.json<TactfulEvent>().filter((e) => e.type === 'email.replied')).toEqual([]);
  });
});
