import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect } from 'vitest';
import { readJourneyReport, type ReportView } from '@tactful/console';
import { startSmtpSink, type SmtpSink } from '@tactful/dispatcher/smtp-sink';
import { differenceInterval, readTally, wilsonInterval, type JourneyReport } from '@tactful/engine';
import type { AuditRecord, TactfulEvent } from '@tactful/events';
import { inHoldout, inSplit } from '@tactful/journeys';
import { createStore } from '@tactful/store-redis';
import { eventually, tactfulArgv, test, type KafkaFixture } from '@tactful/testing';
import type { Stack } from './stack';
import { collect, EXAMPLES, event, publish, startTestStack, writePolicy, type Collector } from './test-stack';

// The acceptance of experiments and goals on the real stack (Kafka, Redis, every service, a real SMTP
// server): 2,000 people through the example `spring-offer` (a 10 % holdout, a 50/50 split of the copy on
// the first page view, a purchase within 14 days as the goal). Shares are checked against binomial
// bounds of ±5 standard deviations: a correct assignment falls outside them with probability below
// 6e-7 per check, so the test does not fail by chance.

const TEMPLATES = new URL('../../../../templates', import.meta.url).pathname;
const JOURNEY = 'spring-offer';
const PEOPLE = 2000;
const LONG = { timeoutMs: 240_000, intervalMs: 250 };
const run = promisify(execFile);

const within5Sigma = (hits: number, n: number, p: number): void => {
  expect(Math.abs(hits - n * p)).toBeLessThanOrEqual(5 * Math.sqrt(n * p * (1 - p)));
};

const ids = Array.from({ length: PEOPLE }, (_, i) => `sp-${String(i).padStart(4, '0')}`);
const index = (id: string) => Number(id.slice(3));
const heldOut = (id: string) => inHoldout(10, JOURNEY, id);
const branchOf = (id: string) =>
  inSplit({ percent: 50, salt: 'spring-copy' }, JOURNEY, id) ? 'shortCopy' : 'longCopy';
const TEMPLATE = { shortCopy: 'spring-offer-short', longCopy: 'spring-offer-long' } as const;
/** Who buys: a different share on each side, so the rates differ. */
const buys = (id: string) => index(id) % (heldOut(id) ? 10 : branchOf(id) === 'shortCopy' ? 4 : 5) === 0;
const groupOf = (id: string) => (heldOut(id) ? 'holdout' : branchOf(id));

async function journeysDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tactful-experiment-'));
  await fs.copyFile(path.join(EXAMPLES, `${JOURNEY}.yaml`), path.join(dir, `${JOURNEY}.yaml`));
  return dir;
}

describe('experiments and goals on the real stack', () => {
  const stacks: Stack[] = [];
  const collectors: Collector[] = [];
  let sink: SmtpSink | undefined;
  afterEach(async () => {
    await Promise.all(collectors.splice(0).map((c) => c.stop()));
    for (const stack of stacks.splice(0).reverse()) await stack.close();
    await sink?.close();
    sink = undefined;
  });

  test('a 50/50 split within binomial bounds, kept across redeliveries and a restart; a 10 % holdout that receives nothing; conversions in the report, the same after the counters are deleted', async ({
    kafka,
    redis,
    servers,
    namespace,
  }) => {
    await kafka.createTopics(['events', 'commands', 'dlq', 'audit'], 3);
    sink = await startSmtpSink();
    const journeys = await journeysDir();
    const policy = await writePolicy();
    const env = { TACTFUL_SMTP_URL: sink.url, TACTFUL_TEMPLATES: TEMPLATES };
    const start = async () => {
      const stack = await startTestStack({
        servers,
        namespace,
        journeys,
        policy,
        env,
        services: ['orchestrator', 'scheduler', 'sentinel', 'dispatcher', 'console'],
      });
      stacks.push(stack);
      return stack;
    };
    const audit = await collect(kafka, kafka.topic('audit'), 'audit');
    collectors.push(audit);
    const records = () => audit.json<AuditRecord>().filter((r) => r.journey === JOURNEY);
    const distinct = (pick: (r: AuditRecord) => boolean) =>
      new Set(
        records()
          .filter(pick)
          .map((r) => r.customerId),
      ).size;

    let stack = await start();
    await publish(
      kafka,
      ids.map((id) => event('form.submitted', id, { formId: JOURNEY, email: `${id}@example.com` })),
    );
    await eventually(
      'everyone entered',
      () => (distinct((r) => r.decision === 'entered') === PEOPLE ? true : undefined),
      LONG,
    );

    // the first half views the page; then the engine restarts, and the second half views it while the
    // first half's views are delivered again (the same events, as Kafka redelivers them)
    const views = ids.map((id) => event('page.viewed', id, { url: 'https://example.com/spring' }));
    const firstHalf = views.slice(0, PEOPLE / 2);
    await publish(kafka, firstHalf);
    await eventually(
      'the first half split',
      () =>
        distinct((r) => r.branch !== undefined && index(r.customerId) < PEOPLE / 2) === PEOPLE / 2
          ? true
          : undefined,
      LONG,
    );
    await stack.close();
    stacks.splice(stacks.indexOf(stack), 1);
    stack = await start();
    await publish(kafka, [...views.slice(PEOPLE / 2), ...firstHalf]);
    await eventually(
      'everyone split',
      () => (distinct((r) => r.branch !== undefined) === PEOPLE ? true : undefined),
      LONG,
    );

    // every record of a person names one branch, the one the hash gives, and the holdout the hash gives
    const branches = new Map<string, Set<string>>();
    for (const r of records())
      if (r.branch !== undefined)
        branches.set(r.customerId, (branches.get(r.customerId) ?? new Set()).add(r.branch));
    for (const id of ids) expect([...(branches.get(id) ?? [])]).toEqual([branchOf(id)]);
    const held = new Set(
      records()
        .filter((r) => r.decision === 'entered' && r.holdout === true)
        .map((r) => r.customerId),
    );
    expect([...held].sort()).toEqual(ids.filter(heldOut));
    within5Sigma(held.size, PEOPLE, 0.1);
    const treated = ids.filter((id) => !heldOut(id));
    within5Sigma(treated.filter((id) => branchOf(id) === 'shortCopy').length, treated.length, 0.5);

    // counted at the SMTP server: the holdout got nothing, everyone else exactly their branch's copy
    await eventually(
      'every offer delivered',
      () => (sink!.received.length >= treated.length ? true : undefined),
      LONG,
    );
    const mailbox = new Map<string, string[]>();
    for (const mail of sink!.received) {
      const customer = mail.header('x-tactful-customer') ?? '?';
      mailbox.set(customer, [...(mailbox.get(customer) ?? []), mail.header('x-tactful-template') ?? '?']);
    }
    for (const id of ids) expect(mailbox.get(id) ?? []).toEqual(heldOut(id) ? [] : [TEMPLATE[branchOf(id)]]);
    expect(sink!.received).toHaveLength(treated.length);
    const heldBack = records().filter((r) => r.decision === 'suppressed' && r.code === 'holdout');
    expect(heldBack).toHaveLength(held.size);

    // opens by command id, clicks naming only the template, and purchases
    const commandOf = new Map(
      sink!.received.map((m) => [m.header('x-tactful-customer') ?? '?', m.commandId ?? '?']),
    );
    const opens = treated.filter((id) => index(id) % 3 === 0);
    const clicks = treated.filter((id) => index(id) % 7 === 0);
    const buyers = ids.filter(buys);
    const engagement: TactfulEvent[] = [
      ...opens.map((id) => event('email.opened', id, { commandId: commandOf.get(id) })),
      ...clicks.map((id) => event('email.clicked', id, { template: TEMPLATE[branchOf(id)] })),
      ...buyers.map((id) =>
        event('purchase.completed', id, { orderId: `o-${id}`, items: [{ sku: 'lisbon-3n' }] }),
      ),
    ];
    await publish(kafka, engagement);
    await eventually(
      'every purchase counted as a conversion',
      () => (distinct((r) => r.code === 'goal_reached') === buyers.length ? true : undefined),
      LONG,
    );
    expect(records().filter((r) => r.code === 'goal_reached')).toHaveLength(buyers.length);

    // the report, as `tactful journeys report --json` prints it
    const { stdout } = await run(process.execPath, tactfulArgv(['journeys', 'report', JOURNEY, '--json']), {
      env: {
        ...process.env,
        TACTFUL_NAMESPACE: namespace,
        KAFKA_BROKERS: servers.kafkaBrokers.join(','),
        TACTFUL_JOURNEYS: journeys,
      },
      maxBuffer: 16 * 1024 * 1024,
    });
    const report = JSON.parse(stdout) as JourneyReport;
    const row = (group: string) => report.rows.find((r) => r.group === group);
    expect(report.rows.map((r) => r.group)).toEqual(['all', 'sent to', 'holdout', 'longCopy', 'shortCopy']);
    const holdoutBuyers = buyers.filter(heldOut).length;
    for (const group of ['holdout', 'longCopy', 'shortCopy']) {
      const members = ids.filter((id) => groupOf(id) === group);
      const converted = members.filter(buys).length;
      expect(row(group)).toMatchObject({
        entered: members.length,
        sent: group === 'holdout' ? 0 : members.length,
        sentPerTemplate: group === 'holdout' ? {} : { [TEMPLATE[group as 'shortCopy']]: members.length },
        withheldPerTemplate: group === 'holdout' ? expect.any(Object) : {},
        opened: group === 'holdout' ? 0 : opens.filter((id) => groupOf(id) === group).length,
        clicked: group === 'holdout' ? 0 : clicks.filter((id) => groupOf(id) === group).length,
        converted,
        conversion: wilsonInterval(converted, members.length),
        uplift:
          group === 'holdout'
            ? null
            : differenceInterval(converted, members.length, holdoutBuyers, held.size),
      });
    }
    expect(row('holdout')?.withheldPerTemplate).toEqual({
      'spring-offer-long': ids.filter((id) => heldOut(id) && branchOf(id) === 'longCopy').length,
      'spring-offer-short': ids.filter((id) => heldOut(id) && branchOf(id) === 'shortCopy').length,
    });
    expect(row('all')).toMatchObject({ entered: PEOPLE, sent: treated.length, converted: buyers.length });
    expect(row('sent to')?.uplift).toEqual(
      differenceInterval(buyers.length - holdoutBuyers, treated.length, holdoutBuyers, held.size),
    );
    expect(report.versions).toEqual([{ version: 1, entered: PEOPLE, converted: buyers.length }]);

    // the fast counters agree; deleting them changes nothing in the report, which reads only the topics
    const store = createStore({ redis: redis.redis, namespace });
    expect(readTally(await store.counters()).find((j) => j.journey === JOURNEY)).toMatchObject({
      entered: PEOPLE,
      heldOut: held.size,
      converted: buyers.length,
    });
    const counterKeys = await redis.redis.keys(`*${namespace}*:counters`);
    expect(counterKeys.length).toBeGreaterThan(0);
    await redis.redis.del(...counterKeys);
    expect(readTally(await store.counters())).toEqual([]);
    const rebuilt = await readJourneyReport({ kafka: kafka.kafka, namespace, journey: JOURNEY });
    expect(rebuilt.report).toEqual(rebuiltShape(report));
    const consoleView = (await (
      await fetch(`${stack.url}/api/report?journey=${JOURNEY}`)
    ).json()) as ReportView;
    expect(consoleView.report).toEqual(rebuilt.report);
    expect(await leftoverGroups(kafka, namespace)).toEqual([]);
  }, 600_000);
});

/** The report part of the command's JSON (it adds where and how much it read). */
function rebuiltShape(json: JourneyReport): JourneyReport {
  const { journey, versions, rows, attributedByLastSend, method } = json;
  return { journey, versions, rows, attributedByLastSend, method };
}

/** The throwaway groups of the reads, if any were left behind. */
async function leftoverGroups(kafka: KafkaFixture, namespace: string): Promise<string[]> {
  const admin = kafka.kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.listGroups();
    return groups.map((g) => g.groupId).filter((g) => g.startsWith(`${namespace}.report.`));
  } finally {
    await admin.disconnect();
  }
}
