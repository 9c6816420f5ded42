import path from 'node:path';
import { afterEach, describe, expect } from 'vitest';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '@tactful/dispatcher/smtp-sink';
import type { AuditRecord } from '@tactful/events';
import { eventually, test, type KafkaFixture, type TestServers } from '@tactful/testing';
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

// Unsubscribing from the email itself, end to end: orchestrator, timer service, dispatcher, sentinel
// and gateway in one process on real Kafka and Redis, the repository's journeys (waits shrunk) and
// templates, and a real SMTP server as the mailbox. A person leaves with the link of the mail they got,
// as their mail reader's one-click would; a control customer shows what would have come otherwise.

const TEMPLATES = path.resolve(import.meta.dirname, '..', '..', '..', '..', 'templates');

/** An email's header line as sent, unfolded. */
export const headerLine = (mail: ReceivedMail, key: string): string | undefined => {
  const line = mail.mail.headerLines.find((h) => h.key === key)?.line;
  return line?.replace(/\r\n\s+/g, ' ');
};

/** The https link of an email's `List-Unsubscribe`. */
export const unsubscribeLink = (mail: ReceivedMail): string | undefined =>
  /<(https?:\/\/[^>]+)>/.exec(headerLine(mail, 'list-unsubscribe') ?? '')?.[1];

describe('unsubscribing from the email', () => {
  let stack: Stack | undefined;
  let sink: SmtpSink | undefined;
  const collectors: Collector[] = [];
  afterEach(async () => {
    await Promise.all(collectors.splice(0).map((c) => c.stop()));
    await stack?.close();
    await sink?.close();
    stack = sink = undefined;
  });

  async function setup(kafka: KafkaFixture, servers: TestServers, namespace: string, policy?: string) {
    sink = await startSmtpSink();
    stack = await startTestStack({
      servers,
      namespace,
      journeys: await shortJourneys('PT6S'),
      policy: await writePolicy(policy),
      services: ['orchestrator', 'scheduler', 'dispatcher', 'sentinel', 'gateway'],
      env: { TACTFUL_SMTP_URL: sink.url, TACTFUL_TEMPLATES: TEMPLATES },
    });
    const audit = await collect(kafka, kafka.topic('audit'), 'audit');
    collectors.push(audit);
    const box = sink;
    const mailsOf = (customer: string) =>
      box.received.filter((m) => m.header('x-tactful-customer') === customer);
    const mailbox = (customer: string) => mailsOf(customer).map((m) => m.header('x-tactful-template'));
    const decisions = (customer: string) =>
      audit.json<AuditRecord>().filter((r) => r.customerId === customer);
    const finished = (customer: string, journey: string) =>
      eventually(`${customer} finished ${journey}`, () =>
        decisions(customer).find(
          (r) => r.journey === journey && (r.decision === 'completed' || r.decision === 'halted'),
        ),
      );
    const mail = (customer: string, template: string) =>
      eventually(`${customer}'s ${template}`, () =>
        mailsOf(customer).find((m) => m.header('x-tactful-template') === template),
      );
    return { mailbox, decisions, finished, mail };
  }

  test('one click on the newsletter’s link stops the newsletter, and only it; an altered link changes nothing', async ({
    kafka,
    servers,
    namespace,
  }) => {
    const { mailbox, decisions, finished, mail } = await setup(kafka, servers, namespace);
    const form = (c: string, formId: string) =>
      event('form.submitted', c, { formId, email: `${c}@example.com`, name: c });
    await publish(kafka, [
      form('ann', 'newsletter'),
      form('ann', 'whitepaper-2026'),
      form('control', 'newsletter'),
    ]);
    const letter = await mail('ann', 'newsletter-2026-11');
    expect(headerLine(letter, 'list-unsubscribe-post')).toBe(
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    );
    const link = unsubscribeLink(letter)!;
    expect(link.startsWith(`${stack!.url}/u/`)).toBe(true);
    expect(headerLine(letter, 'list-unsubscribe')).toMatch(/<mailto:unsubscribe\+[0-9a-z]+@/);
    // the HTML letter: an HTML part and a text part, both with the same link; no address in the link
    expect(letter.mail.html || '').toContain(`href="${link}"`);
    expect(letter.mail.text).toContain(link);
    expect(link).not.toContain('example.com/u');
    expect(link).not.toContain('ann@');

    const oneClick = (url: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
    const token = link.slice(link.lastIndexOf('/') + 1);
    const altered = `${link.slice(0, -token.length)}${token[0] === '1' ? '2' : '1'}${token.slice(1)}`;
    expect((await oneClick(altered)).status).toBe(400);
    expect((await oneClick(link)).status).toBe(200);
    expect((await oneClick(link)).status).toBe(200);

    await finished('ann', 'newsletter');
    await finished('control', 'newsletter');
    await finished('ann', 'whitepaper-nurture');
    expect(mailbox('control')).toEqual(['newsletter-2026-11', 'newsletter-2026-12']);
    // the newsletter stopped after its first letter; the white paper (another topic) went on
    expect(mailbox('ann').filter((t) => t!.startsWith('newsletter'))).toEqual(['newsletter-2026-11']);
    expect(mailbox('ann')).toEqual(expect.arrayContaining(['wp-welcome', 'wp-checkin']));
    expect(decisions('ann')).toContainEqual(
      expect.objectContaining({ journey: 'newsletter', decision: 'halted' }),
    );
    expect(
      decisions('ann').filter((r) => r.journey === 'whitepaper-nurture' && r.decision === 'halted'),
    ).toEqual([]);
  });

  test('a busy day with one email a day: the answer goes and the newsletter waits; a second question gets its answer', async ({
    kafka,
    servers,
    namespace,
  }) => {
    const { mailbox, decisions, finished, mail } = await setup(
      kafka,
      servers,
      namespace,
      `frequency: { maxPerDay: 1, maxPerWeek: 10, minGap: PT0S }
quietHours: { start: "00:00", end: "00:00", defaultTimezone: UTC }
blastGuard: { maxPerHour: 40 }
`,
    );
    const inquiry = (question: string) =>
      event('form.submitted', 'bea', {
        formId: 'contact-us',
        email: 'bea@example.com',
        name: 'Bea',
        fields: { subject: question, message: question },
      });
    // the question, then the newsletter signup a moment later: the answer takes the day's one email
    // (and would go even if the newsletter had taken it: transactional mail is not capped)
    await publish(kafka, [
      inquiry('Adapter for Brazil?'),
      event('form.submitted', 'bea', { formId: 'newsletter', email: 'bea@example.com', name: 'Bea' }),
    ]);
    const answer = await mail('bea', 'inquiry-answer');
    expect(answer.mail.subject).toBe('Re: Adapter for Brazil?');
    // transactional: no unsubscribe headers
    expect(headerLine(answer, 'list-unsubscribe')).toBeUndefined();
    await eventually('the newsletter deferred', () =>
      decisions('bea').find((r) => r.template === 'newsletter-2026-11' && r.decision === 'deferred'),
    );
    await finished('bea', 'contact-inquiry');

    await publish(kafka, [inquiry('And for Japan?')]);
    await eventually('the second answer', () =>
      mailbox('bea').filter((t) => t === 'inquiry-answer').length === 2 ? true : undefined,
    );
    const subjects = sink!.received
      .filter((m) => m.header('x-tactful-template') === 'inquiry-answer')
      .map((m) => m.mail.subject);
    expect(subjects).toEqual(['Re: Adapter for Brazil?', 'Re: And for Japan?']);
    expect(mailbox('bea')).not.toContain('newsletter-2026-11');
  });
});
