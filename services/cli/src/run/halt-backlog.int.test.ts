import { describe, expect } from 'vitest';
import type { AuditRecord, EmailSendCommand, TactfulEvent } from '@tactful/events';
import { createStore } from '@tactful/store-redis';
import { eventually, test, type KafkaFixture } from '@tactful/testing';
import type { Stack } from './stack';
import { collect, event, EXAMPLES, publish, startTestStack, writePolicy, type Collector } from './test-stack';

// Invariant 4 under a backlog (ARCHITECTURE.md): with the orchestrator stopped and 10,000 events waiting
// on N.events, a reply is marked by the halt sentinel at once, and the orchestrator, started after the
// mark, decides no further send of the halted journey for that person, although the event that would
// have caused one comes before the reply in the backlog. How fast the mark lands is measured by
// bench/halt-latency.ts, not asserted here.

const BACKLOG = 10_000;

/** Many customers, each with a few events; one in twenty subscribes to the newsletter (real sends). */
function backlog(count: number): TactfulEvent[] {
  return Array.from({ length: count }, (_, i) => {
    const customer = `bk-${i % 2500}`;
    if (i % 20 === 0)
      return event('form.submitted', customer, { formId: 'newsletter', email: `${customer}@example.com` });
    if (i % 2 === 0) return event('page.viewed', customer, { url: `https://shop.example.com/p/${i}` });
    return event('email.opened', customer, {});
  });
}

/** Waits until `collector` holds every message its topic has now. */
async function readToEnd(kafka: KafkaFixture, collector: Collector, name: string): Promise<void> {
  const offsets = await kafka.admin.fetchTopicOffsets(kafka.topic(name));
  const total = offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  await eventually(`every message of ${name} read`, () =>
    collector.messages.length >= total ? true : undefined,
  );
}

async function publishInChunks(kafka: KafkaFixture, events: TactfulEvent[], size = 2000): Promise<void> {
  for (let i = 0; i < events.length; i += size) await publish(kafka, events.slice(i, i + size));
}

describe('invariant 4 under a backlog', () => {
  test(
    'a reply queued behind 10,000 events stops the journey before the orchestrator reaches it',
    { timeout: 180_000 },
    async ({ kafka, redis, servers, namespace }) => {
      const policy = await writePolicy();
      const stacks: Stack[] = [];
      const collectors: Collector[] = [];
      const start = async (services: ('orchestrator' | 'sentinel')[]) => {
        const stack = await startTestStack({ servers, namespace, journeys: EXAMPLES, policy, services });
        stacks.push(stack);
        return stack;
      };
      try {
        const store = createStore({ redis: redis.redis, namespace });
        const sentinel = await start(['sentinel']);
        // `tactful run --only sentinel`: ready once its consumer joined the N.sentinel group
        await eventually('the sentinel ready', async () => {
          const res = await fetch(`${sentinel.url}/readyz`);
          const body = (await res.json()) as { checks: Record<string, { ok: boolean }> };
          return res.status === 200 && body.checks['sentinel.consumer']?.ok ? true : undefined;
        });
        const orchestrator = await start(['orchestrator']);
        const commands = await collect(kafka, kafka.topic('commands'), 'commands');
        const audit = await collect(kafka, kafka.topic('audit'), 'audit');
        collectors.push(commands, audit);
        const commandsOf = (customer: string) =>
          commands.json<EmailSendCommand>().filter((c) => c.customerId === customer);

        // Ann downloads the white paper; the orchestrator queues the welcome on N.commands (no dispatcher
        // runs, so it stays queued there) and Ann now waits in the journey's first state
        await publish(kafka, [
          event('form.submitted', 'ann', {
            formId: 'whitepaper-2026',
            email: 'ann@example.com',
            name: 'Ann',
          }),
        ]);
        const welcome = await eventually('the welcome queued', () => commandsOf('ann')[0]);
        expect(welcome).toMatchObject({
          type: 'email.send',
          journey: 'whitepaper-nurture',
          template: 'wp-welcome',
        });
        await orchestrator.close();

        // the orchestrator is stopped: a backlog builds up. In it, Ann opens the welcome, which would take
        // her to the case study; after it, she replies
        const events = backlog(BACKLOG);
        const opened = event('email.opened', 'ann', { commandId: welcome.id, template: 'wp-welcome' });
        events.splice(BACKLOG / 2, 0, opened);
        await publishInChunks(kafka, events);
        const reply = event('email.replied', 'ann', { commandId: welcome.id, text: 'Please stop writing.' });
        await publish(kafka, [reply]);

        const mark = await eventually('Ann marked halted', async () =>
          (await store.getHalts('ann')).find((m) => m.eventId === reply.id),
        );
        expect(mark.journeys).toContain('whitepaper-nurture');
        // the mark overtook the backlog: the orchestrator has applied neither her open nor her reply
        expect(await store.isProcessed('ann', opened.id)).toBe(false);
        expect(await store.isProcessed('ann', reply.id)).toBe(false);

        await start(['orchestrator']);
        const annAudit = () => audit.json<AuditRecord>().filter((r) => r.customerId === 'ann');
        await eventually(
          'the orchestrator reached the reply',
          () => annAudit().find((r) => r.decision === 'halted' && r.causationId === reply.id),
          { timeoutMs: 150_000, intervalMs: 250 },
        );
        await readToEnd(kafka, commands, 'commands');
        await readToEnd(kafka, audit, 'audit');

        // the open was applied before the reply, and its send was suppressed by the mark
        expect(annAudit()).toContainEqual(
          expect.objectContaining({
            decision: 'suppressed',
            template: 'wp-case-study',
            code: 'halted',
            causationId: opened.id,
          }),
        );
        expect(annAudit()).toContainEqual(
          expect.objectContaining({
            decision: 'halted',
            journey: 'whitepaper-nurture',
            causationId: reply.id,
          }),
        );
        expect(commandsOf('ann').map((c) => c.template)).toEqual(['wp-welcome']);
        // applied, the reply's mark is gone: the journey's own state now says halted
        expect(await store.getHalts('ann')).toEqual([]);
        // the orchestrator did send to everyone else meanwhile: the suppression is Ann's alone
        expect(commands.json<EmailSendCommand>().some((c) => c.template === 'newsletter-2026-11')).toBe(true);
      } finally {
        await Promise.all(collectors.map((c) => c.stop()));
        for (const stack of stacks.reverse()) await stack.close();
      }
    },
  );
});
