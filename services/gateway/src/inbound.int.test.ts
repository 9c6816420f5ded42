import { randomBytes } from 'node:crypto';
import nodemailer from 'nodemailer';
import { afterEach, describe, expect } from 'vitest';
import { topicsLeftOf } from '@tactful/engine';
import {
  createLinkSigner,
  parseEvent,
  replyAddressFor,
  signUnsubscribeToken,
  unsubscribeAddressFor,
  type TactfulEvent,
} from '@tactful/events';
import { createStore } from '@tactful/store-redis';
import { test, type KafkaFixture, type RedisFixture } from '@tactful/testing';
import { eventsInTopic, startForTest, stopGateways } from './test-kit';

// Reply capture: a person answers an email; their mail server delivers the answer to the Reply-To, which
// reaches the gateway's inbound SMTP port and becomes email.replied for the right customer, through the
// reply route the dispatcher wrote in Redis before the email left (written here with the same store call).

afterEach(stopGateways);

const DOMAIN = 'replies.example.com';
const COMMAND = 'cmd-0123456789abcdef0123456789abcdef';
const ROUTE = { customerId: 'ann', journey: 'whitepaper-nurture', template: 'wp-checkin' };

async function start(kafka: KafkaFixture, redis: RedisFixture) {
  const [topic] = await kafka.createTopics(['events'], 3);
  const store = createStore({ redis: redis.redis, namespace: kafka.namespace });
  const signer = createLinkSigner(randomBytes(32).toString('hex'));
  const running = await startForTest(kafka.kafka, kafka.namespace, {
    token: undefined,
    links: {
      signer,
      topicsLeft: async (customerId) => {
        const loaded = await store.load(customerId);
        return topicsLeftOf(loaded.state, loaded.halts);
      },
    },
    inbound: { port: 0, host: '127.0.0.1', replyDomain: DOMAIN, routes: store },
  });
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: running.gateway.inboundPort!,
    secure: false,
    ignoreTLS: true,
  });
  const read = async (count: number): Promise<{ key: string; event: TactfulEvent }[]> =>
    (await kafka.readMessages(topic!, count)).map((m) => {
      const parsed = parseEvent(m.value!, m.key);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed));
      return { key: m.key!.toString(), event: parsed.event };
    });
  return { ...running, topic: topic!, store, signer, transport, read };
}

describe('reply capture', () => {
  test('a reply to the Reply-To becomes email.replied for the customer, with the new text only', async ({
    kafka,
    redis,
  }) => {
    const gw = await start(kafka, redis);
    await gw.store.saveReplyRoute(COMMAND, ROUTE, 60_000);
    const reply = {
      from: 'Ann <ann@example.com>',
      to: replyAddressFor(COMMAND, DOMAIN, gw.signer),
      subject: 'Re: the white paper',
      messageId: '<reply-1@example.com>',
      text: [
        'No thanks, we chose another vendor.',
        '',
        `On Mon, 23 Nov 2026 at 10:00, Tactful <outreach@tactful.local> wrote:`,
        '> Hi ann,',
        '> Here is the white paper you asked for.',
      ].join('\n'),
    };
    // the person's mail server, delivering to the reply domain's MX: answered 250 once Kafka has it
    await gw.transport.sendMail(reply);
    // delivered twice (their server retried after a lost answer): one event id
    await gw.transport.sendMail(reply);
    const [first, second] = await gw.read(2);
    expect(first!.event).toMatchObject({
      type: 'email.replied',
      subject: 'ann',
      source: 'tactful/dispatcher',
      data: { commandId: COMMAND, template: 'wp-checkin', text: 'No thanks, we chose another vendor.' },
    });
    expect(second!.event.id).toBe(first!.event.id);
    // the key is the customer, so the reply is ordered with the rest of what they did
    expect(first!.key).toBe('ann');
    expect(await gw.metrics.registry.metrics()).toContain(
      'tactful_replies_received_total{outcome="published"} 2',
    );
    const ready = (await (await fetch(`${gw.url}/readyz`)).json()) as unknown;
    expect(JSON.stringify(ready)).toContain(`reply capture on port ${gw.gateway.inboundPort}`);
  });

  test('mail to any other address, or a forged or altered reply address, is refused with 550 at RCPT TO, and nothing is published', async ({
    kafka,
    redis,
  }) => {
    const gw = await start(kafka, redis);
    // a command that was delivered: its id is known (a hash of customer, journey and stage; the console
    // lists it), so an attacker can write its address, but not its MAC
    await gw.store.saveReplyRoute(COMMAND, ROUTE, 60_000);
    const mac = gw.signer.sign('reply', COMMAND);
    const neverDelivered = 'cmd-fedcba9876543210fedcba9876543210';
    const flipped = `${mac.slice(0, -1)}${mac.endsWith('0') ? '1' : '0'}`;
    const refused = [
      `postmaster@${DOMAIN}`,
      `reply+${COMMAND}@${DOMAIN}`, // forged: no MAC
      `reply+${COMMAND}.${flipped}@${DOMAIN}`, // altered MAC
      replyAddressFor(COMMAND, DOMAIN, createLinkSigner('another-secret-of-32-bytes-or-more!!')),
      replyAddressFor(neverDelivered, DOMAIN, gw.signer), // signed, never delivered
      `reply+${COMMAND}.${mac}@elsewhere.example.com`,
      `unsubscribe+${signUnsubscribeToken(gw.signer, { customerId: 'ann', commandId: COMMAND })}x@${DOMAIN}`,
    ];
    for (const to of refused) {
      const attempt = gw.transport.sendMail({ from: 'x@example.com', to, subject: 'stop', text: 'injected' });
      await expect(attempt).rejects.toMatchObject({ responseCode: 550, command: 'RCPT TO' });
    }
    expect(await gw.metrics.registry.metrics()).toContain(
      `tactful_replies_received_total{outcome="refused"} ${refused.length}`,
    );
    // refused at RCPT: nothing was ever handed to Kafka
    expect(await eventsInTopic(kafka, gw.topic)).toBe(0);
  });

  test('mail to the List-Unsubscribe mailto: is the opt-out of the one-click link; a forged token is refused at RCPT TO', async ({
    kafka,
    redis,
  }) => {
    const gw = await start(kafka, redis);
    const signed = signUnsubscribeToken(gw.signer, {
      customerId: 'cat',
      commandId: COMMAND,
      topic: 'newsletter',
    });
    const forged = unsubscribeAddressFor(
      signUnsubscribeToken(createLinkSigner('another-secret-of-32-bytes-or-more!!'), {
        customerId: 'dan',
        commandId: COMMAND,
      }),
      DOMAIN,
    );
    await expect(
      gw.transport.sendMail({ from: 'x@example.com', to: forged, subject: 'unsubscribe', text: '' }),
    ).rejects.toMatchObject({ responseCode: 550, command: 'RCPT TO' });
    const testCopy = unsubscribeAddressFor(
      signUnsubscribeToken(gw.signer, { customerId: 'eve', commandId: COMMAND, test: true }),
      DOMAIN,
    );
    await gw.transport.sendMail({ from: 'eve@example.com', to: testCopy, subject: 'unsubscribe', text: '' });
    expect(await eventsInTopic(kafka, gw.topic)).toBe(0);
    // a mail reader's unsubscribe by email: upper case on the way changes nothing
    await gw.transport.sendMail({
      from: 'cat@example.com',
      to: unsubscribeAddressFor(signed, DOMAIN).toUpperCase(),
      subject: 'unsubscribe',
      text: '',
    });
    const [published] = await gw.read(1);
    expect(published!.key).toBe('cat');
    expect(published!.event).toMatchObject({
      type: 'contact.preferences_updated',
      subject: 'cat',
      data: { topicsOptedOut: ['newsletter'] },
    });
    const metrics = await gw.metrics.registry.metrics();
    expect(metrics).toContain('tactful_unsubscribes_total{via="mailto",effect="topic"} 1');
    expect(metrics).toContain('tactful_unsubscribes_total{via="mailto",effect="test"} 1');
    // nothing for the forged token nor the test copy
    expect(await eventsInTopic(kafka, gw.topic)).toBe(1);
  });
});
