import { describe, expect, it } from 'vitest';
import libmime from 'libmime';
import { simpleParser } from 'mailparser';
import { commandIdFor, createLinkSigner, type EmailSendCommand } from '@tactful/events';
import { composeMessage, envelopeAddress, messageIdFor, tactfulHeaders } from './message';

const base = {
  customerId: 'cust-42',
  journey: 'whitepaper-nurture',
  journeyVersion: 3,
  stage: 'checkIn',
  template: 'wp-checkin',
  causationId: 'evt-7f3a',
};
const command: EmailSendCommand = {
  ...base,
  id: commandIdFor(base),
  type: 'email.send',
  createdAt: '2026-11-23T10:00:01Z',
};

const signer = createLinkSigner('a-secret-of-at-least-thirty-two-bytes!!');

describe('message headers', () => {
  it('tie the email to its customer, journey, template and command', () => {
    expect(tactfulHeaders(command)).toEqual({
      'X-Tactful-Customer': 'cust-42',
      'X-Tactful-Journey': 'whitepaper-nurture',
      'X-Tactful-Template': 'wp-checkin',
      'X-Tactful-Command': command.id,
    });
  });

  it('derive the Message-ID from the command id alone', () => {
    expect(messageIdFor(command.id)).toBe(`<${command.id}@tactful>`);
  });

  it('take the envelope sender from the From', () => {
    expect(envelopeAddress('Tactful <outreach@tactful.local>')).toBe('outreach@tactful.local');
    expect(envelopeAddress('outreach@tactful.local')).toBe('outreach@tactful.local');
    expect(() => envelopeAddress('Tactful')).toThrow(/no address/);
  });

  it('compose an email that reads back with every header, a non-ASCII customer id included', async () => {
    const unicode = { ...command, customerId: 'kund-ö-42' };
    const raw = await composeMessage({
      command: unicode,
      to: 'ann@example.com',
      rendered: { subject: 'Did the white paper answer your question?', text: 'Hi Ann,\n\nWas it useful?\n' },
      settings: {
        from: 'Tactful <outreach@tactful.local>',
        replyDomain: 'replies.example.com',
        signer,
        publicUrl: 'https://mail.example.com',
      },
      date: new Date('2026-11-23T10:00:02Z'),
    });
    const mail = await simpleParser(raw);
    expect(mail.messageId).toBe(`<${command.id}@tactful>`);
    expect(mail.replyTo?.value[0]?.address).toBe(
      `reply+${command.id}.${signer.sign('reply', command.id)}@replies.example.com`,
    );
    expect(mail.from?.value[0]).toEqual({ address: 'outreach@tactful.local', name: 'Tactful' });
    expect(mail.subject).toBe('Did the white paper answer your question?');
    expect(mail.text).toBe('Hi Ann,\n\nWas it useful?\n');
    // a value outside ASCII travels as an RFC 2047 encoded-word, which mail readers decode
    expect(libmime.decodeWords(String(mail.headers.get('x-tactful-customer')))).toBe('kund-ö-42');
    expect(mail.headers.get('x-tactful-command')).toBe(command.id);
    expect(mail.headers.get('x-tactful-journey')).toBe('whitepaper-nurture');
    expect(mail.headers.get('x-tactful-template')).toBe('wp-checkin');
    expect(mail.date?.toISOString()).toBe('2026-11-23T10:00:02.000Z');
  });
});
