import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect } from 'vitest';
import type { AuditRecord, EmailSendCommand } from '@tactful/events';
import { eventually, tactfulArgv, test, type TestServers } from '@tactful/testing';
import type { StatusReport } from '../journeys/status-run';
import type { Stack } from './stack';
import { collect, event, publish, startTestStack, writePolicy, type Collector } from './test-stack';

const execFileAsync = promisify(execFile);

// A journey changed while people are in it, on real Kafka and Redis: customers wait in version 2, its
// file is replaced by version 3 with a `migrate`, and each customer is moved at their next step (an event
// or a timer), audited as `migrated`, never sent a template twice. `tactful journeys status` and
// `validate` see the orphaned version 2 in between.

const ID = 'migrate-story';
const journey = (version: number, extra: string, states: string) => `id: ${ID}
version: ${version}
name: Migrate story
trigger: { event: form.submitted, where: { formId: ${ID} } }
reentry: never
haltOn: [email.replied]
${extra}
machine:
  initial: welcome
  states:
${states}
    done: { type: final }
`;
// a long wait in the welcome (only an event moves these customers here), a short one once engaged
const V2 = journey(
  2,
  '',
  `    welcome:
      entry: { type: send, params: { template: ms-welcome } }
      on: { email.opened: engaged }
      after: { PT1H: checkIn }
    engaged:
      entry: { type: send, params: { template: ms-case-study } }
      after: { PT30S: checkIn }
    checkIn:
      entry: { type: send, params: { template: ms-checkin } }
      after: { P5D: done }`,
);
// version 3 replaces the check-in by a follow-up, and takes version 2's customers stage by stage
const V3 = journey(
  3,
  'migrate: { from: 2, states: { welcome: welcome, engaged: engaged, checkIn: followUp } }',
  `    welcome:
      entry: { type: send, params: { template: ms-welcome } }
      on: { email.opened: engaged }
      after: { PT1H: followUp }
    engaged:
      entry: { type: send, params: { template: ms-case-study } }
      after: { PT30S: followUp }
    followUp:
      entry: { type: send, params: { template: ms-followup } }
      after: { P5D: done }`,
);

async function folderWith(file: string, text: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tactful-migrate-'));
  await fs.writeFile(path.join(dir, file), text);
  return dir;
}

/** The templates both versions send, as `validate` checks them: each marketing one with its unsubscribe link. */
async function templatesFolder(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tactful-migrate-templates-'));
  for (const name of ['ms-welcome', 'ms-case-study', 'ms-checkin', 'ms-followup'])
    await fs.writeFile(
      path.join(dir, `${name}.liquid`),
      `---\nsubject: ${name}\n---\nHello.\n\nUnsubscribe: {{ unsubscribe_url }}\n`,
    );
  return dir;
}

async function tactful(servers: TestServers, namespace: string, journeys: string, args: string[]) {
  const env = {
    ...process.env,
    TACTFUL_TEMPLATES: await templatesFolder(),
    KAFKA_BROKERS: servers.kafkaBrokers.join(','),
    REDIS_URL: servers.redisUrl,
    TACTFUL_NAMESPACE: namespace,
    TACTFUL_JOURNEYS: journeys,
  };
  const run = await execFileAsync(process.execPath, tactfulArgv(args), { env }).then(
    (r) => ({ ...r, code: 0 }),
    (err: { stdout: string; stderr: string; code: number }) => err,
  );
  return { code: run.code, json: JSON.parse(run.stdout) as unknown };
}

describe('a journey changed while customers are in it', () => {
  let stack: Stack | undefined;
  const collectors: Collector[] = [];
  afterEach(async () => {
    await Promise.all(collectors.splice(0).map((c) => c.stop()));
    await stack?.close();
    stack = undefined;
  });

  test('version 3 moves version 2’s waiting customers at their next event or timer, audited, nothing sent twice', async ({
    kafka,
    servers,
    namespace,
  }) => {
    const v2 = await folderWith('story-v2.yaml', V2);
    const v3 = await folderWith('story-v3.yaml', V3);
    const policy = await writePolicy();
    await kafka.createTopics(['events', 'commands', 'dlq', 'audit'], 3);
    const commands = await collect(kafka, kafka.topic('commands'), 'commands');
    const audit = await collect(kafka, kafka.topic('audit'), 'audit');
    collectors.push(commands, audit);
    const sent = (customer: string) =>
      commands
        .json<EmailSendCommand>()
        .filter((c) => c.customerId === customer)
        .map((c) => c.template);
    const migrated = (customer: string) =>
      audit.json<AuditRecord>().filter((r) => r.customerId === customer && r.code === 'migrated');

    // version 2: ann and bob wait in the welcome, cyd, who opened it, waits in the engaged stage
    stack = await startTestStack({ servers, namespace, journeys: v2, policy });
    const form = (c: string) => event('form.submitted', c, { formId: ID, email: `${c}@example.com` });
    await publish(kafka, [form('ann'), form('bob'), form('cyd')]);
    await eventually('all three welcomed', () =>
      ['ann', 'bob', 'cyd'].every((c) => sent(c).includes('ms-welcome')) ? true : undefined,
    );
    await publish(kafka, [event('email.opened', 'cyd', { template: 'ms-welcome' })]);
    await eventually('cyd engaged', () => (sent('cyd').includes('ms-case-study') ? true : undefined));
    await stack.close();
    stack = undefined;

    // version 2's file is gone, version 3's is there: status counts the customers from their records,
    // says version 2 has no file and where its migrate moves each stage; validate warns about it
    const status = await tactful(servers, namespace, v3, ['journeys', 'status', '--json']);
    expect(status.code).toBe(0);
    const report = status.json as StatusReport;
    expect(report.inFlight).toBe(3);
    expect(report.versions).toEqual([
      {
        journey: ID,
        version: 2,
        customers: 3,
        loaded: false,
        file: null,
        stages: [
          { stage: 'engaged', customers: 1, movesTo: { version: 3, stage: 'engaged' } },
          { stage: 'welcome', customers: 2, movesTo: { version: 3, stage: 'welcome' } },
        ],
      },
    ]);
    const validate = await tactful(servers, namespace, v3, ['journeys', 'validate', v3, '--json']);
    expect(validate.code).toBe(0);
    expect(validate.json).toMatchObject({ ok: true, inFlight: { checked: true } });
    expect((validate.json as { warnings: { reason: string }[] }).warnings.map((w) => w.reason)).toEqual([
      // the load's own: version 2's stages cannot be checked without its file
      expect.stringMatching(/^migrate: version 2 of "migrate-story" is not loaded/),
      expect.stringMatching(
        new RegExp(`^${ID} v2 has 3 customer\\(s\\) in flight .*no file here: a migrate moves them all`),
      ),
    ]);

    // version 3 runs: ann's open moves her, then takes her on; bob's click moves him and leaves him in
    // the welcome; cyd's wait, started under version 2, ends under version 3 in its follow-up
    stack = await startTestStack({ servers, namespace, journeys: v3, policy });
    await publish(kafka, [
      event('email.opened', 'ann', { template: 'ms-welcome' }),
      event('email.clicked', 'bob', { template: 'ms-welcome' }),
    ]);
    await eventually('ann in the case study', () =>
      sent('ann').includes('ms-case-study') ? true : undefined,
    );
    // the 30-second wait that began when cyd engaged under version 2
    await eventually('cyd followed up', () => (sent('cyd').includes('ms-followup') ? true : undefined), {
      timeoutMs: 60_000,
    });
    await eventually('bob moved', () => (migrated('bob').length === 1 ? true : undefined));
    for (const [customer, stage] of [
      ['ann', 'welcome'],
      ['bob', 'welcome'],
      ['cyd', 'engaged'],
    ] as const) {
      const moves = migrated(customer);
      expect(moves).toHaveLength(1);
      expect(moves[0]).toMatchObject({ decision: 'entered', journey: ID, journeyVersion: 3, stage });
    }
    // nothing twice: the welcome (and cyd's case study) once, version 2's check-in never
    expect(sent('ann')).toEqual(['ms-welcome', 'ms-case-study']);
    expect(sent('bob')).toEqual(['ms-welcome']);
    expect(sent('cyd')).toEqual(['ms-welcome', 'ms-case-study', 'ms-followup']);
    await stack.close();
    stack = undefined;

    // nobody is left on version 2
    const after = await tactful(servers, namespace, v3, ['journeys', 'status', '--json']);
    expect(after.code).toBe(0);
    expect((after.json as StatusReport).versions.map((v) => [v.version, v.customers, v.stages])).toEqual([
      [
        3,
        3,
        [
          { stage: 'engaged', customers: 1 },
          { stage: 'followUp', customers: 1 },
          { stage: 'welcome', customers: 1 },
        ],
      ],
    ]);
  }, 180_000);
});
