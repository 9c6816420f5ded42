import { describe, expect, it } from 'vitest';
import { AUDIT_DECISIONS, AuditRecord } from './audit-record';
import { Command } from './command';
import { commandIdFor } from './command-id';

const command = {
  id: commandIdFor({
    customerId: 'cust-42',
    journey: 'whitepaper-nurture',
    journeyVersion: 3,
    stage: 'checkIn',
    template: 'wp-checkin',
    causationId: 'evt-7f3a',
  }),
  type: 'email.send',
  customerId: 'cust-42',
  journey: 'whitepaper-nurture',
  journeyVersion: 3,
  stage: 'checkIn',
  template: 'wp-checkin',
  causationId: 'evt-7f3a',
  createdAt: '2026-11-23T10:00:01Z',
};

describe('Command', () => {
  it('accepts the email.send of the contract, unknown members kept', () => {
    expect(Command.parse(command)).toEqual(command);
    const extended = { ...command, priority: 'low' };
    expect(Command.parse(extended)).toEqual(extended);
  });

  it('accepts the optional channel, to and data the dispatcher reads', () => {
    const full = {
      ...command,
      channel: 'email',
      to: 'ann@example.com',
      data: { formId: 'inquiry', fields: { question: 'Do you ship to Norway?' }, text: 'Thanks!' },
    };
    expect(Command.parse(full)).toEqual(full);
  });

  it.each([
    ['to', 'not an address'],
    ['channel', ''],
    ['data', 'text'],
  ])('rejects the optional %s = %j', (member, value) => {
    expect(Command.safeParse({ ...command, [member]: value }).success).toBe(false);
  });

  it.each([
    ['type', 'sms.send'],
    ['id', 'cmd-XYZ'],
    ['id', 'evt-1'],
    ['journeyVersion', 0],
    ['journeyVersion', 1.5],
    ['createdAt', 'now'],
    ['customerId', ''],
    ['template', undefined],
  ])('rejects %s = %j', (member, value) => {
    expect(Command.safeParse({ ...command, [member]: value }).success).toBe(false);
  });
});

describe('AuditRecord', () => {
  const record = {
    customerId: 'cust-42',
    at: '2026-11-23T10:00:01Z',
    decision: 'sent',
    journey: 'whitepaper-nurture',
    stage: 'checkIn',
    template: 'wp-checkin',
    reason: 'policy allows: 0 of 1 today',
    causationId: 'evt-7f3a',
    commandId: command.id,
  };

  it.each(AUDIT_DECISIONS)('accepts the decision %s', (decision) => {
    expect(AuditRecord.parse({ ...record, decision })).toEqual({ ...record, decision });
  });

  it('accepts a snake_case code and refuses anything else', () => {
    expect(AuditRecord.parse({ ...record, code: 'quiet_hours' })).toEqual({ ...record, code: 'quiet_hours' });
    expect(AuditRecord.safeParse({ ...record, code: 'Quiet Hours' }).success).toBe(false);
  });

  it('needs only customer, time, decision and reason', () => {
    const minimal = {
      customerId: 'cust-42',
      at: record.at,
      decision: 'rejected',
      reason: 'unknown type x.y',
    };
    expect(AuditRecord.parse(minimal)).toEqual(minimal);
  });

  it.each([
    ['decision', 'ignored'],
    ['reason', ''],
    ['reason', undefined],
    ['at', '2026-11-23'],
    ['commandId', 'not-a-command'],
  ])('rejects %s = %j', (member, value) => {
    expect(AuditRecord.safeParse({ ...record, [member]: value }).success).toBe(false);
  });
});
