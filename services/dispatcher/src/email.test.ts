import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import {
  commandIdFor,
  createLinkSigner,
  parseUnsubscribeAddress,
  parseUnsubscribeToken,
  type EmailSendCommand,
} from '@tactful/events';
import { buildEmail } from './email';
import { headerSafe, type MailSettings } from './message';
import { createEngines, parseTemplate, type MessageTemplate } from './templates';

const signer = createLinkSigner('an-email-test-secret-of-32-bytes-or-more');
const settings: MailSettings = {
  from: 'Tactful <outreach@tactful.local>',
  replyDomain: 'replies.example.com',
  signer,
  publicUrl: 'https://mail.example.com/tactful',
};
const engines = createEngines();

const base = {
  customerId: 'cust-42',
  journey: 'newsletter',
  journeyVersion: 1,
  stage: 'november',
  template: 'news',
  causationId: 'evt-1',
};
const marketing: EmailSendCommand = {
  ...base,
  id: commandIdFor(base),
  type: 'email.send',
  createdAt: '2026-11-23T10:00:00Z',
  class: 'marketing',
  entry: 1,
  topic: 'newsletter',
  data: { fields: { subject: 'Hello' } },
};
const transactional: EmailSendCommand = { ...marketing, class: 'transactional', topic: undefined };

function template(text: string, html?: string): MessageTemplate {
  const parsed = parseTemplate(
    engines,
    'news',
    'news.liquid',
    text,
    html === undefined ? undefined : { file: 'news.html', html },
  );
  if (!parsed.ok) throw new Error(parsed.error.join('\n'));
  return parsed.value;
}

const build = (command: EmailSendCommand, t: MessageTemplate, test?: boolean) =>
  buildEmail({
    command,
    to: 'ann@example.com',
    template: t,
    engines,
    profile: { name: 'Ann', fields: {} },
    settings,
    date: new Date('2026-11-23T10:00:01Z'),
    ...(test === undefined ? {} : { test }),
  });

describe('a marketing email', () => {
  it('carries List-Unsubscribe (https and mailto) and one-click, and its body links the same page', async () => {
    const email = await build(marketing, template('---\nsubject: News\n---\nLeave: {{ unsubscribe_url }}'));
    const mail = await simpleParser(email.raw);
    const url = `https://mail.example.com/tactful/u/${email.links.token}`;
    const mailto = `mailto:unsubscribe+${email.links.token}@replies.example.com`;
    // mailparser reads List-* headers into one structure: the lines say exactly what was sent
    const line = (key: string) =>
      String(mail.headerLines.find((h) => h.key === key)?.line).replace(/\r\n\s+/g, ' ');
    expect(line('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(line('list-unsubscribe')).toBe(`List-Unsubscribe: <${url}>, <${mailto}>`);
    expect(mail.text).toBe(`Leave: ${url}\n`);
    expect(parseUnsubscribeToken(signer, email.links.token)).toEqual({
      customerId: 'cust-42',
      commandId: marketing.id,
      topic: 'newsletter',
    });
    expect(
      parseUnsubscribeAddress(mailto.slice('mailto:'.length).toUpperCase(), 'REPLIES.example.com', signer),
    ).toEqual({
      token: { customerId: 'cust-42', commandId: marketing.id, topic: 'newsletter' },
      signed: email.links.token,
    });
  });

  it('with an HTML body is multipart/alternative, the text part written or generated', async () => {
    const html = '<p>Hi {{ customer.name }}</p><p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>';
    const generated = await simpleParser(
      (await build(marketing, template('---\nsubject: News\n---\n', html))).raw,
    );
    expect(generated.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
    expect(generated.html).toContain('<p>Hi Ann</p>');
    expect(generated.text).toMatch(
      /^Hi Ann\n\nUnsubscribe\s\[https:\/\/mail\.example\.com\/tactful\/u\/[0-9a-z]+\]\n$/,
    );
    const written = await simpleParser(
      (await build(marketing, template('---\nsubject: News\n---\nText {{ unsubscribe_url }}', html))).raw,
    );
    expect(written.text).toMatch(/^Text https:/);
  });
});

describe('a transactional email', () => {
  it('carries no unsubscribe headers', async () => {
    const mail = await simpleParser(
      (await build(transactional, template('---\nsubject: Re\n---\nYour answer'))).raw,
    );
    expect(mail.headerLines.map((h) => h.key)).not.toContain('list-unsubscribe');
    expect(mail.headerLines.map((h) => h.key)).not.toContain('list-unsubscribe-post');
    expect(mail.text).toBe('Your answer\n');
  });
});

describe('a test copy', () => {
  it('says [TEST] and carries a test token', async () => {
    const email = await build(marketing, template('---\nsubject: News\n---\n{{ unsubscribe_url }}'), true);
    const mail = await simpleParser(email.raw);
    expect(mail.subject).toBe('[TEST] News');
    expect(parseUnsubscribeToken(signer, email.links.token)?.test).toBe(true);
  });
});

describe('header values', () => {
  it('never carry a line break, whatever the data put in the subject', async () => {
    const t = template('---\nsubject: "Re: {{ trigger.fields.subject }}"\n---\nBody {{ unsubscribe_url }}');
    const injections = fc.oneof(
      fc.constant('Hi\r\nBcc: victim@example.com'),
      fc.constant('x\nContent-Type: text/html\n\n<b>x</b>'),
      fc.string({ unit: fc.constantFrom('a', ' ', '\r', '\n', ':', 'B', 'c', '\u2028', '\t') }),
    );
    await fc.assert(
      fc.asyncProperty(injections, async (subject) => {
        const command = { ...marketing, data: { fields: { subject } } };
        const email = await build(command, t);
        const head = email.raw.toString('utf8').split('\r\n\r\n')[0] ?? '';
        const names = head
          .split('\r\n')
          .filter((line) => !/^[ \t]/.test(line))
          .map((line) => line.split(':')[0]?.toLowerCase());
        expect(names).not.toContain('bcc');
        expect(names.filter((n) => n === 'content-type')).toHaveLength(1);
        const mail = await simpleParser(email.raw);
        expect(mail.subject ?? '').not.toMatch(/[\r\n]/);
      }),
      { numRuns: 60 },
    );
  });

  it('are folded onto one line by headerSafe', () => {
    expect(headerSafe('a\r\nb\nc\rd\u2028e')).toBe('a b c d e');
    fc.assert(fc.property(fc.string(), (value) => !/[\r\n]/.test(headerSafe(value))));
  });
});
