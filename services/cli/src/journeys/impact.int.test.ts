import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect } from 'vitest';
import { tallyDecisions, type DecisionTally } from '@tactful/engine';
import type { AuditRecord } from '@tactful/events';
import { eventually, test, type KafkaFixture } from '@tactful/testing';
import type { Stack } from '../run/stack';
import { collect, event, publish, startTestStack, writePolicy, type Collector } from '../run/test-stack';
import { runImpact } from './impact-run';

// The dry run against the real thing: the same events go to the real broker, the real orchestrator and
// timer service apply them, and `journeys impact` then replays them from N.events. Its counts must be
// the counts of the orchestrator's own audit records.

const CANDIDATE = `
id: trial
version: 1
name: Trial follow-up
trigger: { event: form.submitted, where: { formId: trial } }
reentry: never
audience: { exclude: [customers] }
haltOn: [email.replied]
machine:
  initial: welcome
  states:
    welcome:
      entry: { type: send, params: { template: trial-welcome } }
      after: { PT2S: checkIn }
    checkIn:
      entry: { type: send, params: { template: trial-checkin } }
      after: { P5D: done }
    done: { type: final }
`;

const NEWSLETTER = `
id: news
version: 1
name: Newsletter
trigger: { event: form.submitted, where: { formId: news } }
reentry: never
haltOn: []
machine:
  initial: issue
  states:
    issue:
      entry: { type: send, params: { template: news-1 } }
      after: { P30D: done }
    done: { type: final }
`;

// two messages a day: a person who also gets the newsletter has no room left for the check-in
const POLICY = `frequency: { maxPerDay: 2, maxPerWeek: 10, minGap: PT0S }
quietHours: { start: "00:00", end: "00:00", defaultTimezone: UTC }
blastGuard: { maxPerHour: 5 }
`;

const without = ({ reasons: _reasons, ...tally }: DecisionTally) => tally;

async function caughtUp(kafka: KafkaFixture, groupId: string): Promise<true | undefined> {
  const topic = kafka.topic('events');
  const [ends, committed] = await Promise.all([
    kafka.admin.fetchTopicOffsets(topic),
    kafka.admin.fetchOffsets({ groupId, topics: [topic] }),
  ]);
  const done = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  return ends.every((p) => Number(p.high) === 0 || (done.get(p.partition) ?? -1) >= Number(p.high))
    ? true
    : undefined;
}

describe('journeys impact', () => {
  let stack: Stack | undefined;
  const collectors: Collector[] = [];
  afterEach(async () => {
    await Promise.all(collectors.splice(0).map((c) => c.stop()));
    await stack?.close();
    stack = undefined;
  });

  test('counts what a real run of the journey then does: entries, sends per template, holds and why', async ({
    kafka,
    servers,
    namespace,
  }) => {
    const journeys = await fs.mkdtemp(path.join(os.tmpdir(), 'tactful-impact-'));
    await fs.writeFile(path.join(journeys, 'trial.yaml'), CANDIDATE);
    await fs.writeFile(path.join(journeys, 'news.yaml'), NEWSLETTER);
    const policy = await writePolicy(POLICY);
    const since = Date.now() - 60_000;
    stack = await startTestStack({ servers, namespace, journeys, policy });
    const audit = await collect(kafka, kafka.topic('audit'), 'audit');
    collectors.push(audit);

    const form = (c: string, formId: string) =>
      event('form.submitted', c, { formId, email: `${c}@example.com`, name: c });
    const people = (role: string) => [1, 2, 3].map((n) => `${role}-${n}`);
    await publish(kafka, [
      ...people('plain').map((c) => form(c, 'trial')),
      ...people('busy').flatMap((c) => [form(c, 'news'), form(c, 'trial')]),
      ...people('customer').flatMap((c) => [
        event('customer.status_changed', c, { status: 'customer' }),
        form(c, 'trial'),
      ]),
      ...people('replier').flatMap((c) => [form(c, 'trial'), event('email.replied', c, { text: 'no' })]),
      ...people('unsubscribed').flatMap((c) => [event('contact.opted_out', c, {}), form(c, 'trial')]),
      ...people('twice').flatMap((c) => [form(c, 'trial'), form(c, 'trial')]),
    ]);
    const trial = () => audit.json<AuditRecord>().filter((r) => r.journey === 'trial');
    // every check-in wait came due and was decided: sent, or held back by the day's cap
    await eventually(
      'the check-ins decided',
      () => (trial().filter((r) => r.stage === 'checkIn').length === 9 ? true : undefined),
      { timeoutMs: 30_000 },
    );
    await eventually('the orchestrator caught up', () => caughtUp(kafka, `${namespace}.orchestrator`));
    await stack.close();
    stack = undefined;

    const real = tallyDecisions(audit.json<AuditRecord>(), 'trial');
    const result = await runImpact({
      kafka: kafka.kafka,
      namespace,
      file: path.join(journeys, 'trial.yaml'),
      policyFile: policy,
      journeysDir: journeys,
      since,
      now: Date.now,
    });

    expect(without(result.summary.tally)).toEqual(without(real));
    // and the counts are the story's, so the comparison is not between two empty reports
    expect(without(real)).toEqual({
      entered: { decisions: 12, people: 12 },
      notEntered: {
        already_active: { decisions: 3, people: 3 },
        existing_customer: { decisions: 3, people: 3 },
        opted_out: { decisions: 3, people: 3 },
      },
      sent: {
        'trial-checkin': { decisions: 6, people: 6 },
        'trial-welcome': { decisions: 12, people: 12 },
      },
      deferred: { max_per_day: { decisions: 3, people: 3 } },
      suppressed: {},
      halted: { halt_on: { decisions: 3, people: 3 } },
      completed: {},
      rejected: {},
    });
    expect(result.summary.people).toBe(18);
    expect(result.summary.inJourney).toBe(9);
    expect(result.summary.skipped).toBeGreaterThanOrEqual(9); // the timer.fired events of the real run
    expect(result.invalid).toBe(0);

    // the read left nothing behind: no consumer group of its own, no offset of the services moved
    const groups = (await kafka.admin.listGroups()).groups.map((g) => g.groupId);
    expect(groups.filter((g) => g.startsWith(`${namespace}.impact`))).toEqual([]);
    expect(await caughtUp(kafka, `${namespace}.orchestrator`)).toBe(true);
  });
});
