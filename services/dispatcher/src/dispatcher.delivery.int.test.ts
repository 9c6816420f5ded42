import { afterEach, describe, expect } from 'vitest';
import type { TactfulEvent } from '@tactful/events';
import { eventually, startTcpProxy, test, type TcpProxy } from '@tactful/testing';
import { commandFor, startKit, stateOf, type Kit } from './test-kit';

// The dispatcher on real Kafka and Redis, delivering to a real SMTP server (smtp-server) started by the
// test: what reaches the server and what is reported, once, through repeats, 4xx answers and an outage.
// What it refuses to send, and why, is in dispatcher.refusals.int.test.ts.

const header = (kit: Kit, i: number, name: string) => kit.sink.received[i]?.header(name);

describe('the dispatcher', () => {
  const kits: Kit[] = [];
  let proxy: TcpProxy | undefined;
  afterEach(async () => {
    await Promise.all(kits.splice(0).map((k) => k.close()));
    await proxy?.close();
    proxy = undefined;
  });

  test('a command becomes exactly one email with the contract headers, then email.sent', async ({
    kafka,
    redis,
  }) => {
    const kit = await startKit(kafka, redis);
    kits.push(kit);
    await kit.saveState(stateOf('ann', (s) => ({ ...s, profile: { ...s.profile, name: 'Ann' } })));
    const command = commandFor('ann', 'wp-welcome');
    await kit.publish([command]);
    const sent = await eventually('email.sent', () =>
      kit.events.json<TactfulEvent>().find((e) => e.type === 'email.sent' && e.subject === 'ann'),
    );
    // the sink parses what it accepted after answering 250, so email.sent may be read first
    await eventually('the email parsed by the sink', () => kit.sink.received[0]);
    expect(kit.sink.received).toHaveLength(1);
    const mail = kit.sink.received[0]!;
    expect(mail.to).toEqual(['ann@example.com']);
    expect(mail.from).toBe('outreach@tactful.local');
    expect(mail.mail.subject).toBe('Your white paper, Ann');
    expect(mail.mail.text).toMatch(/^Hi Ann,\n\nHere is the white paper you asked for/);
    expect(header(kit, 0, 'x-tactful-customer')).toBe('ann');
    expect(header(kit, 0, 'x-tactful-journey')).toBe('whitepaper-nurture');
    expect(header(kit, 0, 'x-tactful-template')).toBe('wp-welcome');
    expect(header(kit, 0, 'x-tactful-command')).toBe(command.id);
    expect(mail.mail.replyTo?.value[0]?.address).toBe(
      `reply+${command.id}.${kit.prepared.signer.sign('reply', command.id)}@replies.example.com`,
    );
    expect(mail.mail.messageId).toBe(`<${command.id}@tactful>`);
    expect(sent).toMatchObject({
      id: `sent-${command.id}`,
      source: 'tactful/dispatcher',
      data: { commandId: command.id, template: 'wp-welcome', messageId: `<${command.id}@tactful>` },
    });
    expect(await kit.metrics.registry.metrics()).toContain(
      'tactful_commands_processed_total{type="email.send",outcome="delivered"} 1',
    );
  });

  test('the same command published twice is delivered once', async ({ kafka, redis }) => {
    const kit = await startKit(kafka, redis);
    kits.push(kit);
    const command = commandFor('bo');
    const other = commandFor('cy');
    await kit.publish([command, command]);
    await kit.publish([command, other]);
    await eventually('the command after the repeats delivered', () =>
      kit.sink.received.some((m) => m.commandId === other.id) ? true : undefined,
    );
    await eventually('every repeat handled', async () =>
      (await kit.metrics.registry.metrics()).includes('outcome="duplicate"} 2') ? true : undefined,
    );
    expect(kit.sink.countsByCommand().get(command.id)).toBe(1);
    // each repeat reports the delivery again, under the same event id, which the orchestrator drops
    const reports = kit.events
      .json<TactfulEvent>()
      .filter((e) => e.type === 'email.sent' && e.subject === 'bo');
    expect(new Set(reports.map((e) => e.id))).toEqual(new Set([`sent-${command.id}`]));
  });

  test('a transient failure (451) is retried with backoff and delivered once, without moving past the command', async ({
    kafka,
    redis,
  }) => {
    const kit = await startKit(kafka, redis);
    kits.push(kit);
    kit.sink.failNextData(3, { code: 451, message: '4.3.0 Try again later' });
    const first = commandFor('ivy', 'wp-welcome');
    const next = commandFor('ivy', 'wp-checkin');
    await kit.publish([first, next]);
    await eventually('both delivered', () => (kit.sink.received.length >= 2 ? true : undefined));
    expect(kit.sink.refused.map((r) => r.code)).toEqual([451, 451, 451]);
    // in order: the next command of the same customer waited for the first
    expect(kit.sink.received.map((m) => m.commandId)).toEqual([first.id, next.id]);
    expect(kit.sink.countsByCommand().get(first.id)).toBe(1);
    const metrics = await kit.metrics.registry.metrics();
    expect(metrics).toContain('tactful_smtp_send_duration_seconds_count{result="transient"} 3');
    expect(metrics).toContain('tactful_smtp_send_duration_seconds_count{result="accepted"} 2');
  });

  test('with the mail server away it starts unready, holds the command, and delivers it once the server is back', async ({
    kafka,
    redis,
  }) => {
    const kit = await startKit(kafka, redis, {
      smtpUrl: async (sink) => {
        proxy = await startTcpProxy(`127.0.0.1:${sink.port}`);
        proxy.cut();
        return `smtp://${proxy.address}`;
      },
      deps: { smtpRecheckMs: 100 },
    });
    kits.push(kit);
    const report = await kit.readiness.report();
    expect(report.checks['dispatcher.smtp']).toMatchObject({ ok: false });
    const command = commandFor('max');
    await kit.publish([command]);
    await eventually('attempts that failed for now', async () =>
      (await kit.metrics.registry.metrics()).match(
        /smtp_send_duration_seconds_count\{result="transient"\} [2-9]/,
      )
        ? true
        : undefined,
    );
    expect(kit.sink.received).toEqual([]);
    proxy!.restore();
    await eventually('delivered', () => (kit.sink.received.length === 1 ? true : undefined));
    await eventually('ready again', async () =>
      (await kit.readiness.report()).checks['dispatcher.smtp']?.ok ? true : undefined,
    );
    expect(kit.sink.countsByCommand().get(command.id)).toBe(1);
  });
});
