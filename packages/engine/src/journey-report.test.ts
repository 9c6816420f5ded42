import type { AuditRecord, TactfulEvent } from '@tactful/events';
import { TactfulEvent as TactfulEventSchema } from '@tactful/events';
import { describe, expect, it } from 'vitest';
import { createJourneyReport } from './journey-report';
import { differenceInterval, wilsonInterval } from './proportion-interval';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 23, 10, minute)).toISOString();

function record(
  customerId: string,
  decision: AuditRecord['decision'],
  fields: Partial<AuditRecord> & { minute?: number } = {},
): AuditRecord {
  const { minute = 0, ...rest } = fields;
  return {
    customerId,
    at: at(minute),
    decision,
    journey: 'spring',
    journeyVersion: 2,
    entry: 1,
    reason: 'r',
    ...rest,
  };
}

let ids = 0;
function event(
  type: TactfulEvent['type'],
  subject: string,
  data: Record<string, unknown>,
  minute = 30,
  id?: string,
): TactfulEvent {
  ids += 1;
  return TactfulEventSchema.parse({
    specversion: '1.0',
    id: id ?? `evt-${ids}`,
    source: 'test',
    type,
    subject,
    time: at(minute),
    data,
  });
}

const cmd = (n: number) => `cmd-${n.toString(16).padStart(32, '0')}`;

describe('journey report', () => {
  it('counts entries, deliveries, engagement and conversions per branch and for the holdout', () => {
    const report = createJourneyReport('spring');
    const audit: AuditRecord[] = [
      // hal: held out, withheld one template, converts
      record('hal', 'entered', { holdout: true, code: 'trigger_matched' }),
      record('hal', 'suppressed', { holdout: true, code: 'holdout', template: 'sp-welcome' }),
      record('hal', 'completed', { holdout: true, code: 'goal_reached' }),
      // ann: branch A, delivered twice (a redelivery), opens by command id, converts by a purchase
      record('ann', 'entered', { code: 'trigger_matched' }),
      record('ann', 'sent', { template: 'sp-welcome', commandId: cmd(1), code: 'policy_allows' }),
      record('ann', 'sent', {
        template: 'sp-offer-a',
        commandId: cmd(2),
        branch: 'offerA',
        code: 'policy_allows',
      }),
      record('ann', 'completed', { branch: 'offerA', code: 'purchased' }),
      // ben: branch A, clicks naming only the template
      record('ben', 'entered', { code: 'trigger_matched' }),
      record('ben', 'sent', { template: 'sp-welcome', commandId: cmd(3), code: 'policy_allows' }),
      record('ben', 'sent', {
        template: 'sp-offer-a',
        commandId: cmd(4),
        branch: 'offerA',
        code: 'policy_allows',
      }),
      // cat: branch B, replies naming nothing, after her last send of this journey
      record('cat', 'entered', { code: 'trigger_matched' }),
      record('cat', 'sent', {
        template: 'sp-offer-b',
        commandId: cmd(5),
        branch: 'offerB',
        code: 'policy_allows',
        minute: 5,
      }),
      // dan: not split yet; his open names nothing and comes after another journey's send: not ours
      record('dan', 'entered', { code: 'trigger_matched', journeyVersion: 1 }),
      record('dan', 'sent', {
        template: 'sp-welcome',
        commandId: cmd(6),
        code: 'policy_allows',
        minute: 1,
        journeyVersion: 1,
      }),
      {
        ...record('dan', 'sent', { template: 'news', commandId: cmd(7), minute: 20 }),
        journey: 'newsletter',
      },
      // another journey's records never count
      { ...record('eve', 'entered'), journey: 'newsletter' },
    ];
    for (const r of audit) report.addAudit(r);
    const sent = (n: number, customer: string, template: string) =>
      event('email.sent', customer, { commandId: cmd(n), template, messageId: `<${n}@x>` });
    const events = [
      sent(1, 'ann', 'sp-welcome'),
      sent(2, 'ann', 'sp-offer-a'),
      sent(2, 'ann', 'sp-offer-a'),
      sent(3, 'ben', 'sp-welcome'),
      sent(4, 'ben', 'sp-offer-a'),
      sent(5, 'cat', 'sp-offer-b'),
      sent(6, 'dan', 'sp-welcome'),
      sent(7, 'dan', 'news'),
      event('email.opened', 'ann', { commandId: cmd(2) }, 31, 'open-1'),
      event('email.opened', 'ann', { commandId: cmd(2) }, 31, 'open-1'),
      event('email.clicked', 'ben', { template: 'sp-offer-a' }),
      event('email.replied', 'cat', { text: 'yes' }),
      event('email.opened', 'dan', {}),
      event('purchase.completed', 'ben', { orderId: 'o', items: [{ sku: 's' }] }),
    ];
    for (const e of events) report.addEvent(e);
    const result = report.result();
    expect(result.versions).toEqual([
      { version: 1, entered: 1, converted: 0 },
      { version: 2, entered: 4, converted: 2 },
    ]);
    expect(result.attributedByLastSend).toBe(1);
    const rows = Object.fromEntries(result.rows.map((row) => [row.group, row]));
    expect(Object.keys(rows)).toEqual(['all', 'sent to', 'holdout', '(no split yet)', 'offerA', 'offerB']);
    expect(rows.all).toMatchObject({ entered: 5, sent: 6, opened: 1, clicked: 1, replied: 1, converted: 2 });
    expect(rows.holdout).toMatchObject({
      entered: 1,
      sent: 0,
      sentPerTemplate: {},
      withheldPerTemplate: { 'sp-welcome': 1 },
      converted: 1,
      uplift: null,
    });
    expect(rows['sent to']).toMatchObject({ entered: 4, sent: 6, converted: 1 });
    expect(rows['sent to']?.conversion).toEqual(wilsonInterval(1, 4));
    expect(rows['sent to']?.uplift).toEqual(differenceInterval(1, 4, 1, 1));
    expect(rows.offerA).toMatchObject({
      entered: 2,
      sent: 4,
      sentPerTemplate: { 'sp-offer-a': 2, 'sp-welcome': 2 },
      opened: 1,
      clicked: 1,
      replied: 0,
      converted: 1,
    });
    expect(rows.offerA?.uplift).toEqual(differenceInterval(1, 2, 1, 1));
    expect(rows.offerB).toMatchObject({ entered: 1, sent: 1, replied: 1, converted: 0 });
    expect(rows['(no split yet)']).toMatchObject({ entered: 1, sent: 1, opened: 0 });
  });

  it('has no holdout or branch rows, and no uplift, for a journey without them', () => {
    const report = createJourneyReport('spring');
    report.addAudit(record('ann', 'entered'));
    report.addAudit(record('ann', 'completed', { code: 'goal_reached' }));
    report.addAudit(record('ben', 'entered'));
    const { rows } = report.result();
    expect(rows.map((r) => r.group)).toEqual(['all']);
    expect(rows[0]).toMatchObject({ entered: 2, converted: 1, uplift: null });
    expect(rows[0]?.conversion?.estimate).toBe(0.5);
  });
});
