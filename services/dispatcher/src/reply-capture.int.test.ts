import nodemailer from 'nodemailer';
import { afterEach, describe, expect } from 'vitest';
import { createLinkSigner, type TactfulEvent } from '@tactful/events';
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
    expect(replyTo).toBe(
      `reply+${command.id}.${kit.prepared.signer.sign('reply', command.id)}@replies.example.com`,
    );

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
      data: {
        commandId: command.id,
        template: command.template,
        text: 'No thanks, we chose another vendor.',
      },
    });
    expect(replies[1]?.id).toBe(replies[0]?.id);
    // the key is the customer, so the reply is ordered with the rest of what they did
    const message = kit.events.messages.find((m) => JSON.parse(m.value!.toString()).type === 'email.replied');
    expect(message?.key?.toString()).toBe('ann');
    expect(await kit.metrics.registry.metrics()).toContain(
      'tactful_replies_received_total{outcome="published"} 2',
    );
  });

  test('mail to any other address, or a forged or altered reply address, is refused with 550 at RCPT TO, and nothing is published', async ({
    kafka,
    redis,
  }) => {
    const kit = await startKit(kafka, redis, { inbound: true });
    kits.push(kit);
    // a command that was delivered: its id is known (a hash of customer, journey and stage; the console
    // lists it), so an attacker can write its address, but not its MAC
    const command = commandFor('ann');
    await kit.publish([command]);
    await eventually('the email', () => kit.sink.received[0]);
    const mac = kit.prepared.signer.sign('reply', command.id);
    const neverDelivered = 'cmd-0123456789abcdef0123456789abcdef';
    const flipped = `${mac.slice(0, -1)}${mac.endsWith('0') ? '1' : '0'}`;
    const refused = [
      'postmaster@replies.example.com',
      `reply+${command.id}@replies.example.com`, // forged: no MAC, as before signing
      `reply+${command.id}.${flipped}@replies.example.com`, // altered MAC
      `reply+${command.id}.${createLinkSigner('another-secret-of-32-bytes-or-more!!').sign('reply', command.id)}@replies.example.com`,
      `reply+${neverDelivered}.${kit.prepared.signer.sign('reply', neverDelivered)}@replies.example.com`, // signed, never delivered
      `reply+${command.id}.${mac}@elsewhere.example.com`,
    ];
    const port = kit.dispatcher.inboundPort!;
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
    for (const to of refused) {
      const attempt = transport.sendMail({ from: 'x@example.com', to, subject: 'stop', text: 'injected' });
      await expect(attempt).rejects.toMatchObject({ responseCode: 550, command: 'RCPT TO' });
    }
    expect(await kit.metrics.registry.metrics()).toContain(
      `tactful_replies_received_total{outcome="refused"} ${refused.length}`,
    );
    expect(kit.events.json<TactfulEvent>().filter((e) => e.type === 'email.replied')).toEqual([]);
  });
});
