import { afterEach, describe, expect } from 'vitest';
import { startSmtpSink, type SmtpSink } from '@tactful/dispatcher/smtp-sink';
import { CustomerState } from '@tactful/engine';
import type { AuditRecord } from '@tactful/events';
import { createStore } from '@tactful/store-redis';
import { eventually, test, type KafkaFixture, type TestServers } from '@tactful/testing';
import type { ServiceName } from './services';
import type { Stack } from './stack';
import {
  collect,
  event,
  publish,
  shortJourneys,
  startTestStack,
  writePolicy,
  type Collector,
} from './test-stack';

// Invariant 4 against a dispatcher that is behind (after any outage, it is): a reply, once accepted,
// beats every send already queued in N.commands, whatever the journey became since, and no send is
// checked against halt signals older than the bound. Counted at a real SMTP server.

const TEMPLATES = new URL('../../../../templates', import.meta.url).pathname;

describe('a halt and the sends already queued', () => {
  const stacks: Stack[] = [];
  const collectors: Collector[] = [];
  let sink: SmtpSink | undefined;
  afterEach(async () => {
    await Promise.all(collectors.splice(0).map((c) => c.stop()));
    for (const stack of stacks.splice(0).reverse()) await stack.close();
    await sink?.close();
    sink = undefined;
  });

  async function setup(kafka: KafkaFixture, servers: TestServers, namespace: string) {
    await kafka.createTopics(['events', 'commands', 'dlq', 'audit'], 3);
    sink = await startSmtpSink();
    const journeys = await shortJourneys();
    const policy = await writePolicy();
    const env = { TACTFUL_SMTP_URL: sink.url, TACTFUL_TEMPLATES: TEMPLATES };
    const start = async (services: ServiceName[]) => {
      const stack = await startTestStack({ servers, namespace, journeys, policy, services, env });
      stacks.push(stack);
      return stack;
    };
    const audit = await collect(kafka, kafka.topic('audit'), 'audit');
    collectors.push(audit);
    const box = sink;
    const mailbox = (customer: string) =>
      box.received
        .filter((m) => m.header('x-tactful-customer') === customer)
        .map((m) => m.header('x-tactful-template'));
    const decisions = (customer: string) =>
      audit.json<AuditRecord>().filter((r) => r.customerId === customer);
    const form = (c: string) =>
      event('form.submitted', c, { formId: 'whitepaper-2026', email: `${c}@example.com`, name: c });
    return { start, mailbox, decisions, form };
  }

  test('a reply applied after the journey completed stops both of its queued emails; the control gets both', async ({
    kafka,
    redis,
    servers,
    namespace,
  }) => {
    const { start, mailbox, decisions, form } = await setup(kafka, servers, namespace);
    // the engine and the sentinel run; the dispatcher is down, so every command waits in N.commands
    await start(['orchestrator', 'scheduler', 'sentinel']);
    await publish(kafka, [form('ann'), form('ben')]);
    for (const customer of ['ann', 'ben'])
      await eventually(`${customer} completed the white paper journey`, () =>
        decisions(customer).find((r) => r.decision === 'completed' && r.journey === 'whitepaper-nurture'),
      );
    const decided = decisions('ann').filter((r) => r.decision === 'sent');
    expect(decided.map((r) => r.template)).toEqual(['wp-welcome', 'wp-checkin']);

    // Ann answers "no" now: her journey is over, so the reply halts nothing active
    const reply = event('email.replied', 'ann', { text: 'No thanks.' });
    await publish(kafka, [reply]);
    const store = createStore({ redis: redis.redis, namespace });
    await eventually('the reply applied: a fence on the journey', async () => {
      const { state } = await store.load('ann');
      const fence = state === null ? undefined : CustomerState.parse(state).haltFences.journeys;
      return fence?.['whitepaper-nurture']?.eventId === reply.id ? true : undefined;
    });

    // the dispatcher comes back and works through the queue
    await start(['dispatcher']);
    await eventually('the control got both', () => (mailbox('ben').length === 2 ? true : undefined));
    const suppressed = await eventually('both of Ann’s queued emails suppressed', () => {
      const found = decisions('ann').filter((r) => r.decision === 'suppressed');
      return found.length === 2 ? found : undefined;
    });
    expect(mailbox('ann')).toEqual([]);
    expect(mailbox('ben')).toEqual(['wp-welcome', 'wp-checkin']);
    expect(suppressed.map((r) => r.commandId).sort()).toEqual(decided.map((r) => r.commandId).sort());
    for (const record of suppressed) {
      expect(record.code).toBe('halted_after_decision');
      expect(record.reason).toContain(`halted by email.replied ${reply.id}`);
    }
  });

  test('with no halt sentinel running, a send is held (readyz says so) until the sentinel is back; the replied one then never goes', async ({
    kafka,
    servers,
    namespace,
  }) => {
    const { start, mailbox, decisions, form } = await setup(kafka, servers, namespace);
    const stack = await start(['orchestrator', 'scheduler', 'dispatcher']);
    await publish(kafka, [form('cy'), form('dee')]);
    for (const customer of ['cy', 'dee'])
      await eventually(`${customer}'s welcome decided`, () =>
        decisions(customer).find((r) => r.decision === 'sent'),
      );
    const readyz = await eventually('/readyz reporting the hold', async () => {
      const res = await fetch(`${stack.url}/readyz`);
      const body = (await res.json()) as { checks: Record<string, { ok: boolean; detail?: string }> };
      const check = body.checks['dispatcher.halt_signals'];
      return res.status === 503 && check?.ok === false && /[12] sends? held/.test(check.detail ?? '')
        ? check
        : undefined;
    });
    expect(readyz.detail).toMatch(/sends held until the halt sentinel catches up: .*\.sentinel/);
    expect(await (await fetch(`${stack.url}/metrics`)).text()).toMatch(/^tactful_held_commands [12]$/m);
    expect(sink!.received).toEqual([]);

    // Cy says no while her welcome is held
    const reply = event('email.replied', 'cy', { text: 'Please stop.' });
    await publish(kafka, [reply]);
    await eventually('Cy’s journey halted', () => decisions('cy').find((r) => r.decision === 'halted'));
    expect(sink!.received).toEqual([]);

    await start(['sentinel']);
    await eventually('Dee’s welcome delivered', () => (mailbox('dee').length === 1 ? true : undefined));
    const suppressed = await eventually('Cy’s welcome suppressed at dispatch', () =>
      decisions('cy').find((r) => r.decision === 'suppressed'),
    );
    expect(suppressed.reason).toContain(reply.id);
    expect(mailbox('cy')).toEqual([]);
    await eventually('ready again', async () => ((await fetch(`${stack.url}/readyz`)).ok ? true : undefined));
  });
});
