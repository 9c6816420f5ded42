import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ledgerKeyOf } from './ledger-key';

const TEMPLATE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

describe('ledger keys', () => {
  it('are the template for marketing, the template and the entry for transactional', () => {
    expect(ledgerKeyOf({ template: 'news', journey: 'n' })).toBe('news');
    expect(ledgerKeyOf({ template: 'news', journey: 'n', class: 'marketing', entry: 3 })).toBe('news');
    expect(ledgerKeyOf({ template: 'answer', journey: 'inquiry', class: 'transactional', entry: 3 })).toBe(
      'answer#inquiry/3',
    );
    expect(ledgerKeyOf({ template: 'answer', journey: 'inquiry', class: 'transactional' })).toBe('answer');
  });

  it('never give a transactional key that a marketing template could have', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(TEMPLATE),
        fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,20}$/),
        fc.integer({ min: 1 }),
        (template, journey, entry) =>
          !TEMPLATE.test(ledgerKeyOf({ template, journey, class: 'transactional', entry })),
      ),
    );
  });

  it('differ between entries', () => {
    const key = (entry: number) =>
      ledgerKeyOf({ template: 'a', journey: 'j', class: 'transactional', entry });
    expect(key(1)).not.toBe(key(2));
  });
});
