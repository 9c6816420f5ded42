import { describe, expect, it } from 'vitest';
import { newReplyText } from './reply-text';

describe('newReplyText', () => {
  it('drops the quoted answer under a one-line attribution', () => {
    const reply = [
      'No thanks, we chose another vendor.',
      '',
      'On Mon, 23 Nov 2026 at 10:00, Tactful <outreach@tactful.local> wrote:',
      '> Hi Ann,',
      '> Here is the white paper you asked for.',
    ].join('\r\n');
    expect(newReplyText(reply)).toBe('No thanks, we chose another vendor.');
  });

  it('drops an attribution wrapped over two lines', () => {
    const reply =
      'Yes please.\n\nOn Mon, 23 Nov 2026 at 10:00, Tactful\n<outreach@tactful.local> wrote:\n> Hi';
    expect(newReplyText(reply)).toBe('Yes please.');
  });

  it('drops interleaved quotes but keeps the answers between them', () => {
    const reply = '> Does it work in Japan?\nYes, with the type A plug.\n> And Brazil?\nType N.';
    expect(newReplyText(reply)).toBe('Yes, with the type A plug.\nType N.');
  });

  it.each([
    ['an Outlook separator', 'Call me.\n\n-----Original Message-----\nFrom: Tactful\nSent: Monday'],
    ['an Outlook rule', 'Call me.\n________________________________\nFrom: Tactful'],
    ['an Outlook header block', 'Call me.\n\nFrom: Tactful <outreach@tactful.local>\nSent: Monday'],
    ['a signature', 'Call me.\n-- \nAnn Smith\nACME'],
  ])('stops at %s', (_what, reply) => {
    expect(newReplyText(reply)).toBe('Call me.');
  });

  it('keeps the whole text when nothing is new', () => {
    expect(newReplyText('> only a quote\n')).toBe('> only a quote');
    expect(newReplyText('  plain answer  ')).toBe('plain answer');
  });
});
