import { afterEach, describe, expect } from 'vitest';
import { consumerGroupsFor, encodeEvent, type AuditRecord, type TactfulEvent } from '@tactful/events';
import type { Sentinel } from '@tactful/sentinel';
import { eventually, test } from '@tactful/testing';
import { CONSUMER_CONFIG, commandFor, startKit, startTestSentinel, type Kit } from './test-kit';

// Sends wait until the halt signals are current: with no halt sentinel running, the dispatcher holds a
// send (not delivered, not committed, the group kept), says so on /readyz and in /metrics, and lets it go
// on to its last-mile check once the sentinel has caught up, which then sees the reply that came meanwhile.

describe('the dispatcher, while the halt sentinel is away', () => {
  const kits: Kit[] = [];
  let sentinel: Sentinel | undefined;
  afterEach(async () => {
    await Promise.all(kits.splice(0).map((k) => k.close()));
    await sentinel?.close();
    sentinel = undefined;
  });

  test('holds every send, keeps its group and its offset, and releases them once the sentinel caught up: the replied one is suppressed, never delivered', async ({
    kafka,
    redis,
  }) => {
    // the broker's smallest session timeout, so the hold below outlives one
    const kit = await startKit(kafka, redis, {
      sentinel: false,
      deps: { consumerConfig: { ...CONSUMER_CONFIG, sessionTimeout: 6000, heartbeatInterval: 500 } },
    });
    kits.push(kit);
    const replied = commandFor('ann');
    const control = commandFor('ben');
    await kit.publish([replied, control]);

    const check = await eventually('readiness reporting the hold', async () => {
      const { checks } = await kit.readiness.report();
      const found = checks['dispatcher.halt_signals'];
      // one or both, as the two customers share a partition (handled in order) or not
      return found?.ok === false && /\b[12] sends? held/.test(found.detail ?? '') ? found : undefined;
    });
    expect(check.detail).toMatch(/^sends held until the halt sentinel catches up: .*sentinel/);
    const metrics = await kit.metrics.registry.metrics();
    expect(metrics).toMatch(/^tactful_held_commands [12]$/m);
    expect(metrics).toMatch(/^tactful_command_holds_total [12]$/m);

    // the person replies while the send waits; no orchestrator runs, so only the sentinel can tell
    const reply: TactfulEvent = {
      specversion: '1.0',
      id: `evt-reply-${Date.now()}`,
      source: 'test/halt-signals',
      type: 'email.replied',
      subject: 'ann',
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      data: { commandId: 'cmd-0', text: 'No thanks.' },
    };
    const producer = await kafka.producer();
    await producer.send({ topic: kit.topics.events, acks: -1, messages: [encodeEvent(reply)] });

    // held past a session timeout: still a member, and nothing committed past the held commands
    const heldSince = Date.now();
    await eventually(
      'held longer than the session timeout',
      () => (Date.now() - heldSince > 7000 ? true : undefined),
      { timeoutMs: 15_000 },
    );
    const admin = kafka.kafka.admin();
    await admin.connect();
    try {
      const group = consumerGroupsFor(kafka.namespace).dispatcher;
      const { groups } = await admin.describeGroups([group]);
      expect(groups[0]?.members).toHaveLength(1);
      const offsets = await admin.fetchOffsets({ groupId: group, topics: [kit.topics.commands] });
      for (const p of offsets[0]?.partitions ?? []) expect(Number(p.offset)).toBeLessThanOrEqual(0);
    } finally {
      await admin.disconnect();
    }
    expect(kit.sink.received).toEqual([]);

    // the sentinel starts, reads the backlog, marks the reply; the holds end
    sentinel = await startTestSentinel(kafka, kit.store);
    await eventually('the control delivered', () =>
      kit.sink.received.some((m) => m.commandId === control.id) ? true : undefined,
    );
    const suppressed = await eventually('the replied send suppressed', () =>
      kit.audit.json<AuditRecord>().find((r) => r.commandId === replied.id && r.decision === 'suppressed'),
    );
    expect(suppressed).toMatchObject({ code: 'halted', customerId: 'ann' });
    expect(suppressed.reason).toContain(reply.id);
    expect(kit.sink.received.map((m) => m.commandId)).toEqual([control.id]);
    expect(await kit.metrics.registry.metrics()).toContain('tactful_held_commands 0');
    await eventually('ready again', async () =>
      (await kit.readiness.report()).checks['dispatcher.halt_signals']?.ok ? true : undefined,
    );
  });

  test('a send waits until the sentinel has read every event acknowledged before it, even while its group is within the lag bound', async ({
    kafka,
    redis,
  }) => {
    // a bound no test run reaches: the group counts as current throughout, so only the read barrier holds
    const kit = await startKit(kafka, redis, { sentinel: false, haltSignalMaxLagMs: 600_000 });
    kits.push(kit);
    // a member of the sentinel's group that reads and commits while open, then stops at its next batch
    let open = true;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const standIn = kafka.kafka.consumer({
      groupId: consumerGroupsFor(kafka.namespace).sentinel,
      ...CONSUMER_CONFIG,
    });
    await standIn.connect();
    await standIn.subscribe({ topic: kit.topics.events, fromBeginning: true });
    await standIn.run({
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset }) => {
        if (!open) return gate;
        const last = batch.messages.at(-1);
        if (last !== undefined) resolveOffset(last.offset);
      },
    });

    // the group has read ann's partition once, so the lag monitor can date what it has not read there
    const producer = await kafka.producer();
    const opened = eventFor('ann', 'email.opened');
    await producer.send({ topic: kit.topics.events, acks: -1, messages: [encodeEvent(opened)] });
    await eventually('the group to commit ann’s partition', async () => {
      const [t] = await kafka.admin.fetchOffsets({
        groupId: consumerGroupsFor(kafka.namespace).sentinel,
        topics: [kit.topics.events],
      });
      return t?.partitions.some((p) => Number(p.offset) > 0) ? true : undefined;
    });
    const control = commandFor('ben');
    await kit.publish([control]);
    await eventually('the control delivered while the group is current', () =>
      kit.sink.received.some((m) => m.commandId === control.id) ? true : undefined,
    );

    // the reply is acknowledged by Kafka; the group has not read it, so no mark exists when the send comes
    open = false;
    const reply = eventFor('ann', 'email.replied');
    await producer.send({ topic: kit.topics.events, acks: -1, messages: [encodeEvent(reply)] });
    const replied = commandFor('ann');
    await kit.publish([replied]);
    await eventually('the send held', async () =>
      /^tactful_held_commands 1$/m.test(await kit.metrics.registry.metrics()) ? true : undefined,
    );

    // the stand-in leaves without committing the reply; the real sentinel reads it from there and marks it
    release();
    await standIn.disconnect();
    sentinel = await startTestSentinel(kafka, kit.store);
    const suppressed = await eventually('the replied send suppressed', () =>
      kit.audit.json<AuditRecord>().find((r) => r.commandId === replied.id && r.decision === 'suppressed'),
    );
    expect(suppressed).toMatchObject({ code: 'halted', customerId: 'ann' });
    expect(suppressed.reason).toContain(reply.id);
    expect(kit.sink.received.map((m) => m.commandId)).toEqual([control.id]);
  });
});

function eventFor(customerId: string, type: 'email.replied' | 'email.opened'): TactfulEvent {
  return {
    specversion: '1.0',
    id: `evt-${type}-${customerId}-${Date.now()}`,
    source: 'test/halt-signals',
    type,
    subject: customerId,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data: { commandId: 'cmd-0', text: 'No thanks.' },
  };
}
