import { execFile } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import nodemailer from 'nodemailer';
import { afterEach, describe, expect } from 'vitest';
import { startSmtpSink, type SmtpSink } from '@tactful/dispatcher/smtp-sink';
import type { AuditRecord, TactfulEvent } from '@tactful/events';
import { eventually, tactfulArgv, test, type KafkaFixture, type TestServers } from '@tactful/testing';
import type { Stack } from './stack';
import {
  collect,
  event,
  publish,
  shortJourneys,
  startTestStack,
  writePolicy,
  type Collector,
} from './test-stack';

// The stories of ARCHITECTURE.md end to end, down to the mailbox: orchestrator, timer service,
// dispatcher (with the halt sentinel it waits for) and gateway on real Kafka and Redis, the repository's journeys (waits shrunk to two seconds) and
// templates, and a real SMTP server that counts what each person receives. Replies travel back the way
// a person's would: by SMTP to the Reply-To, through the gateway's reply capture.

const execFileAsync = promisify(execFile);
const TEMPLATES = path.resolve(import.meta.dirname, '..', '..', '..', '..', 'templates');
const REPLY_DOMAIN = 'replies.example.com';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('the stories, counted in the mailbox', () => {
  let stack: Stack | undefined;
  let sink: SmtpSink | undefined;
  const collectors: Collector[] = [];
  afterEach(async () => {
    await Promise.all(collectors.splice(0).map((c) => c.stop()));
    await stack?.close();
    await sink?.close();
    stack = undefined;
    sink = undefined;
  });

  async function setup(kafka: KafkaFixture, servers: TestServers, namespace: string) {
    sink = await startSmtpSink();
    const inboundPort = await freePort();
    stack = await startTestStack({
      servers,
      namespace,
      journeys: await shortJourneys(),
      policy: await writePolicy(),
      services: ['orchestrator', 'scheduler', 'dispatcher', 'sentinel', 'gateway'],
      env: {
        TACTFUL_SMTP_URL: sink.url,
        TACTFUL_TEMPLATES: TEMPLATES,
        TACTFUL_SMTP_INBOUND_PORT: String(inboundPort),
        TACTFUL_REPLY_DOMAIN: REPLY_DOMAIN,
      },
    });
    const audit = await collect(kafka, kafka.topic('audit'), 'audit');
    const events = await collect(kafka, kafka.topic('events'), 'events');
    collectors.push(audit, events);
    const box = sink;
    /** The templates each person received, in the order they arrived. */
    const mailbox = (customer: string) =>
      box.received
        .filter((m) => m.header('x-tactful-customer') === customer)
        .map((m) => m.header('x-tactful-template'));
    /** Waits until the person received `count` emails (a decided send is delivered a moment later). */
    const received = (customer: string, count: number) =>
      eventually(`${count} emails for ${customer}`, () =>
        mailbox(customer).length >= count ? true : undefined,
      );
    const decisions = (customer: string) =>
      audit.json<AuditRecord>().filter((r) => r.customerId === customer);
    const finished = (customer: string, journey: string) =>
      eventually(`${customer} finished ${journey}`, () =>
        decisions(customer).find(
          (r) => r.journey === journey && (r.decision === 'completed' || r.decision === 'halted'),
        ),
      );
    /** Answers an email the way the person's mail server would: SMTP to its Reply-To. */
    const reply = async (customer: string, template: string, text: string) => {
      const mail = await eventually(`${customer}'s ${template}`, () =>
        box.received.find(
          (m) => m.header('x-tactful-customer') === customer && m.header('x-tactful-template') === template,
        ),
      );
      const to = mail.mail.replyTo?.value[0]?.address;
      expect(to).toMatch(
        new RegExp(`^reply\\+cmd-[0-9a-f]+\\.[0-9a-z]{20}@${REPLY_DOMAIN.replace(/\./g, '\\.')}$`),
      );
      const theirServer = nodemailer.createTransport({
        host: '127.0.0.1',
        port: inboundPort,
        ignoreTLS: true,
      });
      await theirServer.sendMail({
        from: `${customer}@example.com`,
        to,
        subject: `Re: ${mail.mail.subject ?? ''}`,
        inReplyTo: mail.mail.messageId,
        text: `${text}\n\nOn Mon, 23 Nov 2026, Tactful <outreach@tactful.local> wrote:\n> ${mail.mail.text?.split('\n')[0] ?? ''}`,
      });
    };
    const replies = () => events.json<TactfulEvent>().filter((e) => e.type === 'email.replied');
    return { mailbox, received, decisions, finished, reply, replies };
  }

  test('white paper: a reply by email stops the check-in; the control customer gets both', async ({
    kafka,
    servers,
    namespace,
  }) => {
    const { mailbox, received, finished, reply, replies } = await setup(kafka, servers, namespace);
    const form = (c: string) =>
      event('form.submitted', c, { formId: 'whitepaper-2026', email: `${c}@example.com`, name: c });
    await publish(kafka, [form('ann'), form('control')]);
    await reply('ann', 'wp-welcome', 'No thanks, we chose another vendor.');
    await finished('ann', 'whitepaper-nurture');
    await finished('control', 'whitepaper-nurture');
    // the journey ends in the orchestrator when its last send is decided; the dispatcher delivers it after
    await received('control', 2);
    expect(mailbox('ann')).toEqual(['wp-welcome']);
    expect(mailbox('control')).toEqual(['wp-welcome', 'wp-checkin']);
    // tactful explain shows what the dispatcher delivered, next to the decisions
    const { stdout } = await execFileAsync(process.execPath, tactfulArgv(['explain', 'ann', '--json']), {
      env: { ...process.env, REDIS_URL: servers.redisUrl, TACTFUL_NAMESPACE: namespace },
    });
    const explained = JSON.parse(stdout) as {
      deliveries: { state: string; template: string; code?: string }[];
    };
    const delivered = explained.deliveries.filter((d) => d.state === 'delivered');
    expect(delivered.map((d) => d.template)).toEqual(['wp-welcome']);
    // on a busy machine the check-in can come due before the reply is applied: it is then decided, and
    // the dispatcher's record says it was stopped by the reply before it went out
    for (const d of explained.deliveries.filter((x) => x.state !== 'delivered')) {
      expect(d.template).toBe('wp-checkin');
      expect(['halted', 'halted_after_decision', 'journey_halted']).toContain(d.code);
    }
    expect(replies()).toEqual([
      expect.objectContaining({
        subject: 'ann',
        data: expect.objectContaining({ text: 'No thanks, we chose another vendor.' }),
      }),
    ]);
  });

  test('inquiry: answered at once, quoting the question; a follow-up only for who did not reply', async ({
    kafka,
    servers,
    namespace,
  }) => {
    const { mailbox, received, finished, reply } = await setup(kafka, servers, namespace);
    const question = 'Can the adapter be used in Brazil and in Japan?';
    const inquiry = (c: string) =>
      event('form.submitted', c, {
        formId: 'contact-us',
        email: `${c}@example.com`,
        name: c === 'bea' ? 'Bea' : 'Cal',
        fields: { subject: 'Travel adapter', message: question },
      });
    await publish(kafka, [inquiry('bea'), inquiry('cal')]);
    await reply('cal', 'inquiry-answer', 'Thanks, that answers it.');
    await finished('bea', 'contact-inquiry');
    await finished('cal', 'contact-inquiry');
    await received('bea', 2);
    expect(mailbox('bea')).toEqual(['inquiry-answer', 'inquiry-followup']);
    expect(mailbox('cal')).toEqual(['inquiry-answer']);
    const answer = sink!.received.find((m) => m.header('x-tactful-customer') === 'bea')!;
    expect(answer.mail.subject).toBe('Re: Travel adapter');
    expect(answer.mail.text).toContain('Hi Bea,');
    expect(answer.mail.text).toContain(`> ${question}`);
    expect(answer.to).toEqual(['bea@example.com']);
  });

  test('browse then book: the guide, then tips and the welcome back; never the deals', async ({
    kafka,
    servers,
    namespace,
  }) => {
    const { mailbox, finished } = await setup(kafka, servers, namespace);
    await publish(kafka, [
      event('form.submitted', 'cho', { formId: 'newsletter-none', email: 'cho@example.com' }),
      event('page.viewed', 'cho', { url: 'https://travel.example.com/lisbon', sku: 'trip-lisbon' }),
    ]);
    await eventually('the Lisbon guide in the mailbox', () =>
      mailbox('cho').includes('lisbon-guide') ? true : undefined,
    );
    await publish(kafka, [
      event('purchase.completed', 'cho', {
        orderId: 'o-1',
        items: [{ sku: 'trip-lisbon', name: 'Lisbon, 4 nights' }],
      }),
    ]);
    await finished('cho', 'trip-planning');
    await finished('cho', 'trip-post-purchase');
    expect(mailbox('cho')).toEqual(['lisbon-guide', 'local-tips', 'welcome-back']);
    const tips = sink!.received.find((m) => m.header('x-tactful-template') === 'local-tips')!;
    expect(tips.mail.text).toContain('Thank you for booking Lisbon, 4 nights.');
  });

  test('dealer: service mail for the customer, only the thanks for the prospect who asked for quiet', async ({
    kafka,
    servers,
    namespace,
  }) => {
    const { mailbox, finished } = await setup(kafka, servers, namespace);
    await publish(kafka, [
      event('customer.status_changed', 'dan', { status: 'customer' }),
      event('form.submitted', 'dan', { formId: 'test-drive', email: 'dan@example.com', name: 'Dan' }),
      event('form.submitted', 'eve', { formId: 'test-drive', email: 'eve@example.com', name: 'Eve' }),
      event('contact.preferences_updated', 'eve', {
        doNotContactUntil: '2036-01-01',
        note: 'I keep my cars ten years',
      }),
    ]);
    await finished('dan', 'dealer-service');
    await finished('eve', 'dealer-test-drive');
    expect(mailbox('dan')).toEqual(['service-welcome', 'service-reminder']);
    expect(mailbox('eve')).toEqual(['test-drive-thanks']);
  });

  test('newsletter: nothing after the opt-out, not even the next issue', async ({
    kafka,
    servers,
    namespace,
  }) => {
    const { mailbox, finished } = await setup(kafka, servers, namespace);
    const subscribe = (c: string) =>
      event('form.submitted', c, { formId: 'newsletter', email: `${c}@example.com` });
    await publish(kafka, [subscribe('fay'), subscribe('gus')]);
    await eventually('both got November', () =>
      mailbox('fay').includes('newsletter-2026-11') && mailbox('gus').includes('newsletter-2026-11')
        ? true
        : undefined,
    );
    await publish(kafka, [event('contact.opted_out', 'fay', {})]);
    await finished('fay', 'newsletter');
    await finished('gus', 'newsletter');
    expect(mailbox('fay')).toEqual(['newsletter-2026-11']);
    expect(mailbox('gus')).toEqual(['newsletter-2026-11', 'newsletter-2026-12']);
  });
});
