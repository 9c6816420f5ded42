import { afterEach, describe, expect } from 'vitest';
import type { AuditRecord } from '@tactful/events';
import { eventually, test } from '@tactful/testing';
import { commandFor, startKit, stateOf, type Kit } from './test-kit';

// The dispatcher on real Kafka and Redis with a real SMTP server (smtp-server) started by the test: what
// it refuses to send, or the server refuses to take, and why (the audit record, the DLQ). What it delivers
// is in dispatcher.delivery.int.test.ts.

describe('the dispatcher', () => {
  const kits: Kit[] = [];
  afterEach(async () => {
    await Promise.all(kits.splice(0).map((k) => k.close()));
  });

  test('a customer halted or opted out after the command was made gets nothing, and the audit says why', async ({
    kafka,
    redis,
  }) => {
    const kit = await startKit(kafka, redis);
    kits.push(kit);
    const toReply = commandFor('dee');
    const toOptOut = commandFor('eli');
    const toHistory = commandFor('fin');
    const toFence = commandFor('hal');
    const control = commandFor('gil');
    // the sentinel's marks, for events the orchestrator has not reached yet
    await kit.store.markHalted('dee', {
      eventId: 'evt-reply',
      type: 'email.replied',
      at: Date.now(),
      journeys: ['whitepaper-nurture'],
    });
    await kit.store.markHalted('eli', {
      eventId: 'evt-out',
      type: 'contact.opted_out',
      at: Date.now(),
      optOut: true,
    });
    // the orchestrator already applied a halt of the journey, after the command was made
    await kit.saveState(
      stateOf('fin', (s) => ({
        ...s,
        history: {
          'whitepaper-nurture': {
            lastExitAt: new Date(Date.now() + 1000).toISOString(),
            outcome: 'halted',
            version: 3,
          },
        },
      })),
    );
    // the orchestrator applied a reply after the command was decided, and the journey has since completed
    await kit.saveState(
      stateOf('hal', (s) => ({
        ...s,
        history: {
          'whitepaper-nurture': { lastExitAt: toFence.createdAt, outcome: 'completed', version: 3 },
        },
        haltFences: {
          journeys: {
            'whitepaper-nurture': {
              at: new Date(Date.parse(toFence.createdAt) + 1000).toISOString(),
              eventId: 'evt-late-reply',
              type: 'email.replied',
            },
          },
        },
      })),
    );
    await kit.publish([toReply, toOptOut, toHistory, toFence, control]);
    await eventually('the control customer delivered', () =>
      kit.sink.received.some((m) => m.commandId === control.id) ? true : undefined,
    );
    const suppressed = await eventually('four suppressions audited', () => {
      const records = kit.audit.json<AuditRecord>().filter((r) => r.decision === 'suppressed');
      return records.length >= 4 ? records : undefined;
    });
    expect(kit.sink.received.map((m) => m.commandId)).toEqual([control.id]);
    const byCustomer = Object.fromEntries(suppressed.map((r) => [r.customerId, r]));
    expect(byCustomer['dee']).toMatchObject({
      code: 'halted',
      commandId: toReply.id,
      causationId: toReply.causationId,
    });
    expect(byCustomer['dee']?.reason).toMatch(/^at dispatch: .*email\.replied evt-reply/);
    expect(byCustomer['eli']).toMatchObject({ code: 'opted_out', commandId: toOptOut.id });
    expect(byCustomer['fin']).toMatchObject({ code: 'journey_halted', template: 'wp-welcome' });
    expect(byCustomer['hal']).toMatchObject({ code: 'halted_after_decision', commandId: toFence.id });
    expect(byCustomer['hal']?.reason).toMatch(/halted by email\.replied evt-late-reply, applied at/);
    // one record for dee on N.audit, where tactful explain reads it
    const codesOf = (id: string) => suppressed.filter((r) => r.customerId === id).map((r) => r.code);
    expect(codesOf('dee')).toEqual(['halted']);
    // and a repeat of a suppressed command stays suppressed, without a second record
    await kit.publish([toReply]);
    await eventually('the repeat handled', async () =>
      (await kit.metrics.registry.metrics()).includes('outcome="duplicate"} 1') ? true : undefined,
    );
    expect(
      kit.audit
        .json<AuditRecord>()
        .filter((r) => r.customerId === 'dee')
        .map((r) => r.code),
    ).toEqual(['halted']);
  });

  test('a template already delivered to the person is not delivered again, whatever the command', async ({
    kafka,
    redis,
  }) => {
    const kit = await startKit(kafka, redis);
    kits.push(kit);
    const first = commandFor('hal', 'wp-checkin');
    const again = commandFor('hal', 'wp-checkin', { journey: 'another-journey', stage: 'x' });
    await kit.publish([first, again]);
    const record = await eventually('the second one audited', () =>
      kit.audit.json<AuditRecord>().find((r) => r.commandId === again.id),
    );
    expect(record).toMatchObject({ decision: 'suppressed', code: 'template_already_delivered' });
    expect(kit.sink.received.map((m) => m.commandId)).toEqual([first.id]);
  });

  test('an opt-out that arrives while a transient failure is being retried stops the send', async ({
    kafka,
    redis,
  }) => {
    // a backoff long enough that the opt-out surely lands before the next attempt
    const kit = await startKit(kafka, redis, {
      deps: { retry: { retries: 4, initialRetryTime: 3000, maxRetryTime: 3000 } },
    });
    kits.push(kit);
    kit.sink.failNextData(1, { code: 451, message: '4.3.0 Try again later' });
    const command = commandFor('jon', 'wp-welcome');
    await kit.publish([command]);
    await eventually('the first attempt refused', () => (kit.sink.refused.length >= 1 ? true : undefined));
    // the opt-out is marked during the backoff, before the next attempt
    await kit.store.markHalted('jon', {
      eventId: 'evt-out-jon',
      type: 'contact.opted_out',
      at: Date.now(),
      optOut: true,
    });
    const record = await eventually('the retry suppressed', () =>
      kit.audit.json<AuditRecord>().find((r) => r.commandId === command.id && r.decision === 'suppressed'),
    );
    expect(record.code).toBe('opted_out');
    expect(kit.sink.received.map((m) => m.commandId)).not.toContain(command.id);
  });

  test('a permanent failure (550) goes to the DLQ with an audit record, and the consumer moves on', async ({
    kafka,
    redis,
  }) => {
    const kit = await startKit(kafka, redis);
    kits.push(kit);
    kit.sink.refuseRecipient('jo@example.com', {
      code: 550,
      message: '5.1.1 <jo@example.com>: no such user',
    });
    const refused = commandFor('jo');
    // the same customer, in the same partition, at an address the server takes
    const after = commandFor('jo', 'wp-checkin', { to: 'jo@elsewhere.example.com' });
    await kit.publish([refused, after]);
    await eventually('the next command delivered', () =>
      kit.sink.received.some((m) => m.commandId === after.id) ? true : undefined,
    );
    const [dead] = await eventually('the DLQ record', () =>
      kit.dlq.messages.length > 0 ? kit.dlq.messages : undefined,
    );
    expect(dead?.headers?.['tactful-error']?.toString()).toBe('smtp_rejected');
    expect(dead?.headers?.['tactful-error-message']?.toString()).toMatch(/550 5\.1\.1/);
    expect(dead?.headers?.['tactful-error-message']?.toString()).not.toContain('jo@');
    expect(dead?.headers?.['tactful-source-topic']?.toString()).toBe(kit.topics.commands);
    expect(JSON.parse(dead?.value?.toString() ?? '{}')).toEqual(refused);
    const record = kit.audit.json<AuditRecord>().find((r) => r.commandId === refused.id);
    expect(record).toMatchObject({ decision: 'rejected', code: 'smtp_rejected' });
    // its template was never delivered, so it stays free
    expect(
      await redis.redis.hget(kit.store.customerKey('jo', 'delivered-templates'), 'wp-welcome'),
    ).toBeNull();
  });

  test('invalid commands go to the DLQ with their reason and the same headers as events', async ({
    kafka,
    redis,
  }) => {
    const kit = await startKit(kafka, redis);
    kits.push(kit);
    const good = commandFor('kim');
    await kit.publishRaw([
      { key: 'kim', value: '{"not": "a command"' },
      { key: 'kim', value: JSON.stringify({ ...good, type: 'sms.send' }) },
      { key: 'kim', value: JSON.stringify({ ...good, id: 'not-a-command-id' }) },
      { key: 'lou', value: JSON.stringify(good) },
      { key: null, value: JSON.stringify(good) },
      { key: 'kim', value: JSON.stringify(good) },
    ]);
    await eventually('the good one delivered', () => (kit.sink.received.length === 1 ? true : undefined));
    const dead = await eventually('five in the DLQ', () =>
      kit.dlq.messages.length >= 5 ? kit.dlq.messages : undefined,
    );
    expect(dead.map((m) => m.headers?.['tactful-error']?.toString()).sort()).toEqual([
      'invalid_json',
      'key_mismatch',
      'missing_key',
      'schema_violation',
      'unknown_type',
    ]);
    for (const m of dead) {
      expect(m.headers?.['tactful-source-topic']?.toString()).toBe(kit.topics.commands);
      expect(m.headers?.['tactful-source-offset']).toBeDefined();
      expect(m.headers?.['tactful-error-message']?.toString().length).toBeGreaterThan(0);
    }
  });
});
