import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '@tactful/events';
import { tallyDecisions } from '@tactful/engine';
import { renderImpact } from './impact-render';
import type { ImpactResult } from './impact-run';

const record = (
  customerId: string,
  decision: AuditRecord['decision'],
  extra: Partial<AuditRecord>,
): AuditRecord => ({
  customerId,
  at: '2026-11-23T10:00:00.000Z',
  decision,
  journey: 'trial',
  reason: 'why',
  ...extra,
});

describe('renderImpact', () => {
  it('says who would enter, the sends per template, and what would be held back and why', () => {
    const tally = tallyDecisions(
      [
        record('a', 'entered', { code: 'trigger_matched' }),
        record('a', 'sent', { template: 'trial-welcome', code: 'policy_allows' }),
        record('b', 'entered', { code: 'trigger_matched' }),
        record('b', 'deferred', {
          template: 'trial-welcome',
          code: 'max_per_day',
          reason: 'at most 1 per rolling 24 h; deferred until 2026-11-24T10:00:00.000Z',
        }),
        record('c', 'suppressed', { code: 'existing_customer', reason: 'not entered: a customer' }),
        record('d', 'entered', { journey: 'other' }),
      ],
      'trial',
    );
    const result = {
      context: { candidate: { journey: { id: 'trial', version: 2 } }, others: ['news v1'] },
      summary: { events: 9, skipped: 1, people: 3, inJourney: 2, tally },
      read: 11,
      invalid: 1,
      until: Date.parse('2026-11-23T12:00:00Z'),
    } as unknown as ImpactResult;
    expect(renderImpact(result, { namespace: 'tactful', since: 'P7D', seconds: 1.25 })).toBe(
      [
        'trial v2: a dry run over the last 1 week of tactful.events, up to 2026-11-23T12:00:00.000Z',
        '11 events read (9 replayed, 1 timer.fired and email.sent left to the replay, 1 invalid) for 3 people in 1.3 s',
        'beside it: news v1',
        '',
        'would enter                 2 people (2 entries)',
        'not entered                 1 entries refused',
        '  existing_customer           1 (1 person)  e.g. "not entered: a customer"',
        'would send                  1 messages',
        '  trial-welcome               1 (1 person)',
        'deferred                    1 sends held back',
        '  max_per_day                 1 (1 person)  e.g. "at most 1 per rolling 24 h; deferred until 2026-11-24T10:00:00.000Z"',
        'still in the journey        2 people when the replay ended',
        '',
      ].join('\n'),
    );
  });
});
