// Measures `tactful journeys impact` over a real history: writes N generated events (people filling in
// forms, viewing pages, opening, replying, buying, opting out) to N.events of a scratch namespace, then
// runs the command on a journey file over them, as a child process. The topics are deleted afterwards.
//   npx tsx bench/impact.ts [--count 100000] [--people 20000] [--partitions 6] [--journey FILE] [--keep]
// (--keep leaves the scratch namespace's topics, to run the command on them by hand; delete them after)
// Reads KAFKA_BROKERS (default 127.0.0.1:9092). Prints the command's wall time (process start included)
// and the events/s it implies, with the report's counts.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { topicsFor, type TactfulEvent } from '@tactful/events';
import { createPublisher } from '@tactful/events/publisher';
import { createKafkaClient, ensureTopics } from '@tactful/kafka';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '100000' },
    people: { type: 'string', default: '20000' },
    partitions: { type: 'string', default: '6' },
    journey: { type: 'string', default: 'journeys/whitepaper-nurture.yaml' },
    keep: { type: 'boolean', default: false },
  },
});
const count = Number(values.count);
const people = Number(values.people);
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const namespace = `bench-${randomBytes(4).toString('hex')}`;

const FORMS = ['whitepaper-2026', 'newsletter', 'contact-us', 'test-drive'];

/** Pure. The i-th event of the history: each person's first event is a form, then a mix of the rest. */
function historyEvent(i: number): TactfulEvent {
  const person = `p-${i % people}`;
  const round = Math.floor(i / people);
  const base = { specversion: '1.0', id: `${namespace}-${i}`, source: 'bench/impact', subject: person };
  const time = new Date(Date.now() - (count - i) * 10).toISOString();
  const email = `${person}@example.com`;
  const pick = (i * 7919) % 100;
  const event = (type: string, data: Record<string, unknown>) =>
    ({ ...base, time, type, data }) as TactfulEvent;
  if (round === 0) return event('form.submitted', { formId: FORMS[i % FORMS.length], email, name: person });
  if (pick < 40)
    return event('page.viewed', { url: 'https://travel.example.com/lisbon', sku: 'trip-lisbon' });
  if (pick < 65) return event('email.opened', { template: 'wp-welcome' });
  if (pick < 75) return event('form.submitted', { formId: FORMS[(i + 1) % FORMS.length], email });
  if (pick < 85) return event('email.replied', { text: 'thanks' });
  if (pick < 93) return event('purchase.completed', { orderId: `o-${i}`, items: [{ sku: 'trip-lisbon' }] });
  if (pick < 97) return event('customer.status_changed', { status: 'customer' });
  return event('contact.opted_out', { channel: 'all' });
}

const kafka = createKafkaClient({ brokers, clientId: 'tactful-bench' });
const admin = kafka.admin();
await admin.connect();
const topics = Object.values(topicsFor(namespace));
try {
  await ensureTopics(admin, topics, Number(values.partitions));
  const publisher = createPublisher({ kafka, namespace });
  await publisher.connect();
  for (let from = 0; from < count; from += 5000) {
    const batch = Array.from({ length: Math.min(5000, count - from) }, (_, k) => historyEvent(from + k));
    await publisher.publish(batch);
  }
  await publisher.close();

  const started = process.hrtime.bigint();
  const { code, out } = await new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      [
        path.join(root, 'services/cli/bin/tactful.mjs'),
        'journeys',
        'impact',
        values.journey,
        '--since',
        'P1D',
        '--json',
      ],
      {
        env: { ...process.env, TACTFUL_NAMESPACE: namespace },
        stdio: ['ignore', 'pipe', 'inherit'],
        cwd: root,
      },
    );
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.on('close', (exit) => resolve({ code: exit, out: text }));
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const report = JSON.parse(out) as { read: number; seconds: number; people: number; tally: unknown };
  console.log(
    JSON.stringify(
      {
        events: count,
        people,
        partitions: Number(values.partitions),
        exit: code,
        read: report.read,
        commandSeconds: report.seconds,
        wallSeconds: wallMs / 1000,
        eventsPerSecond: Math.round(count / (wallMs / 1000)),
        tally: report.tally,
      },
      null,
      2,
    ),
  );
} finally {
  if (values.keep)
    console.error(
      `kept the topics of ${namespace}: TACTFUL_NAMESPACE=${namespace} tactful journeys impact …`,
    );
  else
    await admin
      .deleteTopics({ topics })
      .catch((err: unknown) => console.error(`could not delete ${namespace}'s topics:`, err));
  await admin.disconnect();
}
