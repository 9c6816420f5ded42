import { describe, expect, it } from 'vitest';
import { createJourneyReport } from '@tactful/engine';
import type { AuditRecord } from '@tactful/events';
import { Journey } from '@tactful/journeys';
import { rateText, renderReport, upliftText } from './report-render';

const record = (customerId: string, decision: AuditRecord['decision'], extra: Partial<AuditRecord> = {}) =>
  ({
    customerId,
    at: '2026-11-23T10:00:00.000Z',
    decision,
    journey: 'spring-offer',
    journeyVersion: 1,
    entry: 1,
    reason: 'r',
    ...extra,
  }) as AuditRecord;

describe('renderReport', () => {
  it('prints a row per group with the rate, the uplift over the holdout, and what was withheld', () => {
    const builder = createJourneyReport('spring-offer');
    for (const [id, holdout, branch, converted] of [
      ['a', false, 'shortCopy', true],
      ['b', false, 'shortCopy', false],
      ['c', false, 'longCopy', false],
      ['d', true, 'longCopy', false],
    ] as const) {
      const side = { ...(holdout ? { holdout: true as const } : {}), branch };
      builder.addAudit(record(id, 'entered', holdout ? { holdout: true } : {}));
      builder.addAudit(
        holdout
          ? record(id, 'suppressed', { ...side, code: 'holdout', template: 'spring-offer-long' })
          : record(id, 'sent', { ...side, template: `t-${branch}`, commandId: `cmd-${id.charCodeAt(0)}` }),
      );
      if (converted) builder.addAudit(record(id, 'completed', { ...side, code: 'goal_reached' }));
    }
    const journey = Journey.parse({
      id: 'spring-offer',
      version: 1,
      name: 'n',
      trigger: { event: 'form.submitted' },
      reentry: 'never',
      haltOn: [],
      holdout: 10,
      goal: { event: 'purchase.completed', within: 'P14D' },
      machine: { initial: 'a', states: { a: { type: 'final' } } },
    });
    const text = renderReport(builder.result(), {
      namespace: 'tactful',
      read: { audit: 10, events: 0, invalid: 0 },
      seconds: 1.25,
      journey,
    });
    const lines = text.split('\n');
    expect(lines[0]).toBe('spring-offer: from 10 audit records and 0 events of tactful (1.3 s)');
    expect(lines[1]).toBe('goal purchase.completed within 2 weeks · holdout 10%');
    expect(lines[3]).toMatch(
      /^group +entered +sent +opened +clicked +replied +converted +rate \(95% CI\) +uplift \(95% CI\)$/,
    );
    expect(lines[4]).toMatch(/^all +4 +0 +0 +0 +0 +1 +25\.0% \(4\.6–69\.9\)$/);
    expect(lines[6]).toMatch(/^holdout +1 +0 +0 +0 +0 +0 +0\.0% \(0\.0–79\.3\)$/);
    expect(lines.find((l) => l.startsWith('shortCopy'))).toMatch(
      / 1 +50\.0% \(9\.5–90\.5\) +\+50\.0 pts \(−/,
    );
    expect(text).toContain('withheld from the holdout: spring-offer-long 1');
    expect(text).toContain('delivered per template:\n  all        none\n');
    expect(text).toContain('versions: v1 4 entered, 1 converted');
  });

  it('writes rates and uplifts in percent and percentage points', () => {
    expect(rateText({ estimate: 0.15, low: 0.134, high: 0.1675 })).toBe('15.0% (13.4–16.8)');
    expect(upliftText({ estimate: 0.05, low: 0.012, high: 0.087 })).toBe('+5.0 pts (+1.2 to +8.7)');
    expect(upliftText({ estimate: -0.02, low: -0.05, high: 0.01 })).toBe('−2.0 pts (−5.0 to +1.0)');
    expect(rateText(null)).toBe('-');
    expect(upliftText(null)).toBe('');
  });
});
