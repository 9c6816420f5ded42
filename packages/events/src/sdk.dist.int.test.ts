import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { test } from '@tactful/testing';
import { parseEvent } from './parse-event';
import { topicsFor } from './topics';

// The publisher SDK as an integrator gets it: `npm pack` of this package, installed from the tarball into a
// project of its own outside the monorepo (its dependencies and the kafkajs peer from the registry), then
// imported by plain node to publish to the real broker, and type-checked under NodeNext resolution.

const run = promisify(execFile);
const PACKAGE_DIR = path.resolve(import.meta.dirname, '..');
const TSC = path.resolve(PACKAGE_DIR, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');

let scratch: string;
let packed: string[];

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tactful-sdk-'));
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', scratch], {
    cwd: PACKAGE_DIR,
  });
  const [pack] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  packed = pack!.files.map((f) => f.path);
  fs.writeFileSync(
    path.join(scratch, 'package.json'),
    JSON.stringify({ name: 'sdk-consumer', private: true, type: 'module' }),
  );
  // @types/node as any Node.js project has it: the declarations use Buffer
  await run('npm', ['install', '--no-audit', '--no-fund', `./${pack!.filename}`, '@types/node@^20'], {
    cwd: scratch,
    timeout: 180_000,
  });
}, 240_000);

afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const PUBLISH = `
import { createPublisher } from '@tactful/events/publisher';
import { EXAMPLE_EVENTS, JSON_SCHEMA_ID_BASE } from '@tactful/events';
import schema from '@tactful/events/schemas/events/form.submitted.json' with { type: 'json' };

const [brokers, namespace, id] = process.argv.slice(2);
if (schema.$id !== JSON_SCHEMA_ID_BASE + 'events/form.submitted.json') throw new Error('schema $id: ' + schema.$id);
const publisher = createPublisher({ brokers: brokers.split(','), namespace, clientId: 'sdk-consumer' });
const result = await publisher.publish({ ...EXAMPLE_EVENTS['form.submitted'], id, subject: 'cust-sdk' });
await publisher.close();
console.log(JSON.stringify(result));
`;

const CHECK = `
import { validateEvent, type FormSubmittedEvent, type TactfulEvent } from '@tactful/events';
import { createPublisher, type Publisher } from '@tactful/events/publisher';

const publisher: Publisher = createPublisher({ brokers: ['127.0.0.1:9092'], namespace: 'tactful' });
const result = validateEvent({});
if (result.ok) {
  const event: TactfulEvent = result.event;
  if (event.type === 'form.submitted') {
    const form: FormSubmittedEvent = event;
    const formId: string = form.data.formId;
    // @ts-expect-error the types are real: a form id is not a number
    const wrong: number = form.data.formId;
    void [formId, wrong];
  }
}
void publisher;
`;

describe('the publisher SDK, installed from its tarball', () => {
  test('ships the compiled code, its declarations and the JSON Schemas, nothing else', () => {
    expect(packed).toEqual(
      expect.arrayContaining([
        'package.json',
        'dist/index.js',
        'dist/index.d.ts',
        'dist/publisher.js',
        'dist/publisher.d.ts',
        'dist/schemas/command.json',
        'dist/schemas/events/form.submitted.json',
      ]),
    );
    expect(packed.filter((p) => /^src\/|\.test\.|tsbuildinfo|arbitraries|\.map$/.test(p))).toEqual([]);
    const manifest = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8')) as {
      private?: boolean;
    };
    expect(manifest.private).toBeUndefined();
  });

  test('installs with its dependencies and the kafkajs peer, outside the monorepo', () => {
    for (const dep of ['@tactful/events', 'kafkajs', 'zod']) {
      expect(fs.existsSync(path.join(scratch, 'node_modules', dep, 'package.json')), dep).toBe(true);
    }
    expect(fs.realpathSync(path.join(scratch, 'node_modules', '@tactful/events'))).toContain(scratch);
  });

  test('type-checks in a project with NodeNext resolution', async () => {
    fs.writeFileSync(path.join(scratch, 'check.ts'), CHECK);
    const args = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext'];
    const result = await run(process.execPath, [TSC, ...args, 'check.ts'], {
      cwd: scratch,
    }).then(
      () => ({ code: 0, out: '' }),
      (err: { code: number; stdout: string }) => ({ code: err.code, out: err.stdout }),
    );
    expect(result.out).toBe('');
    expect(result.code).toBe(0);
  });

  test('publishes an event with plain node, read back from Kafka', async ({ kafka }) => {
    const topic = topicsFor(kafka.namespace).events;
    await kafka.createTopics(['events'], 1);
    fs.writeFileSync(path.join(scratch, 'publish.mjs'), PUBLISH);
    const { stdout } = await run(
      process.execPath,
      ['publish.mjs', kafka.brokers.join(','), kafka.namespace, 'evt-from-the-sdk'],
      { cwd: scratch, env: { PATH: process.env.PATH } },
    );
    expect(JSON.parse(stdout)).toEqual({ ids: ['evt-from-the-sdk'] });
    const [message] = await kafka.readMessages(topic, 1);
    const parsed = parseEvent(message!.value, message!.key);
    expect(parsed.ok && parsed.event.id).toBe('evt-from-the-sdk');
    expect(message!.key?.toString()).toBe('cust-sdk');
  });
});
