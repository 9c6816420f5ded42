// Writes N valid events as NDJSON, for benchmarks and manual tests of `tactful publish`:
//   npx tsx bench/gen-events.ts --count 100000 --out /tmp/events.ndjson [--customers 5000] [--invalid-every 0]
// The data is generated, never committed. `--invalid-every K` makes every K-th event invalid (bad email).
import fs from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { EXAMPLE_EVENTS, type TactfulEvent } from '@tactful/events';

const TEMPLATES = [
  EXAMPLE_EVENTS['form.submitted'],
  EXAMPLE_EVENTS['page.viewed'],
  EXAMPLE_EVENTS['email.opened'],
  EXAMPLE_EVENTS['email.clicked'],
  EXAMPLE_EVENTS['purchase.completed'],
];

/** Pure. The i-th generated event: a mix of types, customers in turn, one second apart. */
export function generatedEvent(i: number, customers: number, run: string): TactfulEvent {
  const base = TEMPLATES[i % TEMPLATES.length]!;
  const time = new Date(Date.UTC(2026, 10, 23, 10) + i * 1000).toISOString();
  return { ...base, id: `${run}-${i}`, subject: `cust-${i % customers}`, time };
}

export async function writeEvents(options: {
  out: string;
  count: number;
  customers: number;
  invalidEvery: number;
  run: string;
}): Promise<void> {
  const file = fs.createWriteStream(options.out);
  for (let i = 0; i < options.count; i++) {
    let event: object = generatedEvent(i, options.customers, options.run);
    if (options.invalidEvery > 0 && (i + 1) % options.invalidEvery === 0) {
      event = { ...event, type: 'form.submitted', data: { formId: 'f', email: 'not-an-email' } };
    }
    if (!file.write(`${JSON.stringify(event)}\n`)) await once(file, 'drain');
  }
  file.end();
  await once(file, 'finish');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '100000' },
      out: { type: 'string' },
      customers: { type: 'string', default: '5000' },
      'invalid-every': { type: 'string', default: '0' },
      run: { type: 'string', default: `bench-${Date.now().toString(36)}` },
    },
  });
  if (values.out === undefined) {
    console.error('usage: gen-events.ts --out FILE [--count N] [--customers M] [--invalid-every K]');
    process.exit(2);
  }
  await writeEvents({
    out: values.out,
    count: Number(values.count),
    customers: Number(values.customers),
    invalidEvery: Number(values['invalid-every']),
    run: values.run,
  });
  console.error(`wrote ${values.count} events to ${values.out}`);
}
