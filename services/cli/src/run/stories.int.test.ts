import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect } from 'vitest';
import type { AuditRecord, EmailSendCommand } from '@tactful/events';
import { eventually, tactfulArgv, test, type KafkaFixture, type TestServers } from '@tactful/testing';
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

const execFileAsync = promisify(execFile);

// The stories of ARCHITECTURE.md, played on real Kafka and Redis with the example journeys (waits shrunk
// to two seconds): what each person is sent, what is not sent, and why.

describe('the stories', () => {
  let stack: Stack | undefined;
  const collectors: Collector[] = [];
  afterEach(async () => {
    await Promise.all(collectors.splice(0).map((c) => c.stop()));
    await stack?.close();
    stack = undefined;
  });

  async function setup(kafka: KafkaFixture, servers: TestServers, namespace: string) {
    stack = await startTestStack({
      servers,
      namespace,
      journeys: await shortJourneys(),
      policy: await writePolicy(),
    });
    const commands = await collect(kafka, kafka.topic('commands'), 'commands');
    const audit = await collect(kafka, kafka.topic('audit'), 'audit');
    collectors.push(commands, audit);
    const sent = (customer: string) =>
      commands
        .json<EmailSendCommand>()
        .filter((c) => c.customerId === customer)
        .map((c) => c.template);
    const decisions = (customer: string) =>
      audit.json<AuditRecord>().filter((r) => r.customerId === customer);
    return { commands, audit, sent, decisions };
  }

  test('white paper: a reply while the check-in wait is pending stops the check-in for good', async ({
    kafka,
    servers,
    namespace,
  }) => {
    const { sent, decisions } = await setup(kafka, servers, namespace);
    const form = (c: string) =>
      event('form.submitted', c, { formId: 'whitepaper-2026', email: `${c}@example.com`, name: c });
    await publish(kafka, [form('ann'), form('control')]);
    await eventually('both welcomed', () =>
      sent('ann').includes('wp-welcome') && sent('control').includes('wp-welcome') ? true : undefined,
    );
    await publish(kafka, [event('email.replied', 'ann', { text: 'No thanks, we chose another vendor.' })]);
    // the control customer, on the same wait, gets the check-in: the wait has come and gone
    await eventually('the control customer checked in', () =>
      sent('control').includes('wp-checkin') ? true : undefined,
    );
    await eventually('the reply audited as a halt', () =>
      decisions('ann').some((d) => d.decision === 'halted') ? true : undefined,
    );
    expect(sent('ann')).toEqual(['wp-welcome']);

    // tactful explain tells the same story from the customer's state and audit trail in Redis
    const { stdout } = await execFileAsync(process.execPath, tactfulArgv(['explain', 'ann', '--json']), {
      env: {
        ...process.env,
        KAFKA_BROKERS: servers.kafkaBrokers.join(','),
        REDIS_URL: servers.redisUrl,
        TACTFUL_NAMESPACE: namespace,
      },
    });
    const explained = JSON.parse(stdout) as {
      timeline: AuditRecord[];
      summary: { active: unknown[]; templatesSent: string[] };
    };
    expect(explained.timeline.map((r) => r.decision)).toEqual(
      expect.arrayContaining(['entered', 'sent', 'halted']),
    );
    expect(explained.timeline.find((r) => r.decision === 'halted')?.reason).toMatch(/email\.replied/);
    expect(explained.summary.templatesSent).toEqual(['wp-welcome']);
    expect(explained.summary.active).toEqual([]);
  });

  test('inquiry: answered at once, quoting the question the person wrote', async ({
    kafka,
    servers,
    namespace,
  }) => {
    const { commands } = await setup(kafka, servers, namespace);
    const question = 'Can the adapter be used in Brazil and in Japan?';
    await publish(kafka, [
      event('form.submitted', 'bea', {
        formId: 'contact-us',
        email: 'bea@example.com',
        name: 'Bea',
        fields: { subject: 'Travel adapter', message: question },
      }),
    ]);
    const answer = await eventually('the inquiry answer', () =>
      commands
        .json<EmailSendCommand>()
        .find((c) => c.customerId === 'bea' && c.template === 'inquiry-answer'),
    );
    expect(answer.to).toBe('bea@example.com');
    expect(JSON.stringify(answer.data)).toContain(question);
  });

  test('browse then book: the purchase ends the nurture and starts the post-purchase journey', async ({
    kafka,
    servers,
    namespace,
  }) => {
    const { sent, decisions } = await setup(kafka, servers, namespace);
    await publish(kafka, [
      event('form.submitted', 'cho', { formId: 'newsletter-none', email: 'cho@example.com' }),
      event('page.viewed', 'cho', { url: 'https://travel.example.com/lisbon', sku: 'trip-lisbon' }),
    ]);
    await eventually('the Lisbon guide', () => (sent('cho').includes('lisbon-guide') ? true : undefined));
    await publish(kafka, [
      event('purchase.completed', 'cho', {
        orderId: 'o-1',
        items: [{ sku: 'trip-lisbon', name: 'Lisbon, 4 nights' }],
      }),
    ]);
    await eventually('local tips after the booking', () =>
      sent('cho').includes('local-tips') ? true : undefined,
    );
    await eventually('the welcome back, after the post-purchase wait', () =>
      sent('cho').includes('welcome-back') ? true : undefined,
    );
    expect(sent('cho')).not.toContain('lisbon-deals');
    expect(decisions('cho').some((d) => d.journey === 'trip-planning' && d.decision === 'completed')).toBe(
      true,
    );
    // viewing the page again does not restart the nurture: the product was bought
    await publish(kafka, [
      event('page.viewed', 'cho', { url: 'https://travel.example.com/lisbon', sku: 'trip-lisbon' }),
    ]);
    await eventually('the second view audited as not entered', () =>
      decisions('cho').filter((d) => d.journey === 'trip-planning' && d.decision === 'suppressed').length > 0
        ? true
        : undefined,
    );
    expect(sent('cho').filter((t) => t === 'lisbon-guide')).toHaveLength(1);
  });

  test('dealer: no prospecting for existing customers; the trade-in waits for the date the person gave', async ({
    kafka,
    servers,
    namespace,
  }) => {
    const { sent, decisions } = await setup(kafka, servers, namespace);
    await publish(kafka, [
      event('customer.status_changed', 'dan', { status: 'customer' }),
      event('form.submitted', 'dan', { formId: 'test-drive', email: 'dan@example.com', name: 'Dan' }),
      event('form.submitted', 'eve', { formId: 'test-drive', email: 'eve@example.com', name: 'Eve' }),
      event('contact.preferences_updated', 'eve', {
        doNotContactUntil: '2036-01-01',
        note: 'I keep my cars ten years',
      }),
    ]);
    await eventually('service welcome for the customer', () =>
      sent('dan').includes('service-welcome') ? true : undefined,
    );
    await eventually('the trade-in deferred to the date Eve gave', () =>
      decisions('eve').find((d) => d.template === 'trade-in-offer' && d.decision === 'deferred'),
    );
    expect(sent('dan')).not.toContain('test-drive-thanks');
    expect(
      decisions('dan').some((d) => d.journey === 'dealer-test-drive' && d.decision === 'suppressed'),
    ).toBe(true);
    expect(sent('eve')).toEqual(['test-drive-thanks']);
    const deferred = decisions('eve').find((d) => d.decision === 'deferred');
    expect(deferred?.reason).toMatch(/2036/);
  });

  test('newsletter: nothing after the opt-out, not even the next issue', async ({
    kafka,
    servers,
    namespace,
  }) => {
    const { sent, decisions } = await setup(kafka, servers, namespace);
    const subscribe = (c: string) =>
      event('form.submitted', c, { formId: 'newsletter', email: `${c}@example.com` });
    await publish(kafka, [subscribe('fay'), subscribe('gus')]);
    await eventually('both got November', () =>
      sent('fay').includes('newsletter-2026-11') && sent('gus').includes('newsletter-2026-11')
        ? true
        : undefined,
    );
    await publish(kafka, [event('contact.opted_out', 'fay', {})]);
    await eventually('gus got December', () =>
      sent('gus').includes('newsletter-2026-12') ? true : undefined,
    );
    await eventually('the opt-out audited', () =>
      decisions('fay').some((d) => d.decision === 'halted') ? true : undefined,
    );
    expect(sent('fay')).toEqual(['newsletter-2026-11']);
  });
});
