import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Partitioners, type Admin, type Consumer, type GroupLag } from '@tactful/kafka';
import { describe, expect } from 'vitest';
import { eventually, tactfulArgv, test } from '@tactful/testing';
import { infraDir, kafkaLayout } from '@tactful/infra';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface LagJson {
  ok: boolean;
  groups: GroupLag[];
  absent: string[];
}

/** `tactful lag --json` as a user runs it: the npm bin, in its own process, configured by the environment. */
async function tactfulLag(namespace: string, brokers: string[], args: string[] = []) {
  const result = await run(process.execPath, tactfulArgv(['lag', '--json', '--interval', '0.3', ...args]), {
    ...process.env,
    TACTFUL_NAMESPACE: namespace,
    KAFKA_BROKERS: brokers.join(','),
  });
  if (result.code !== 0 && result.code !== 1) {
    throw new Error(`tactful lag exited ${result.code}: ${result.stderr}`);
  }
  return { code: result.code, json: JSON.parse(result.stdout) as LagJson };
}

interface ToolRow {
  topic: string;
  partition: number;
  committed: number | null;
  logEnd: number | null;
  lag: number | null;
}

/**
 * Kafka's own view of a group (`ConsumerGroupCommand --describe`), from the jars the local infra fetched;
 * checked before anything else so that a machine without them fails at once and says how to get them.
 * Its rows are `GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID`.
 */
function kafkaConsumerGroupsTool(): (brokers: string[], group: string) => Promise<ToolRow[]> {
  const { libs } = kafkaLayout(infraDir());
  if (!fs.existsSync(path.join(libs, '.complete'))) {
    throw new Error(
      `this test checks \`tactful lag\` against Kafka's own consumer-groups tool, whose jars are not in ${libs}. ` +
        'Fetch them with `npx tsx infra/src/cli.ts install` (Java 17 and Maven needed), then run the test again.',
    );
  }
  return (brokers, group) => describeGroup(libs, brokers, group);
}

async function describeGroup(libs: string, brokers: string[], group: string): Promise<ToolRow[]> {
  // the tool's own log lines go to stderr, so stdout holds only the table
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tactful-lag-'));
  const log4j = path.join(dir, 'log4j.properties');
  fs.writeFileSync(
    log4j,
    [
      'log4j.rootLogger=WARN, stderr',
      'log4j.appender.stderr=org.apache.log4j.ConsoleAppender',
      'log4j.appender.stderr.Target=System.err',
      'log4j.appender.stderr.layout=org.apache.log4j.PatternLayout',
      'log4j.appender.stderr.layout.ConversionPattern=%p %m%n',
    ].join('\n'),
  );
  try {
    const result = await run(
      'java',
      [
        `-Dlog4j.configuration=file:${log4j}`,
        '-cp',
        `${libs}/*`,
        'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
        '--bootstrap-server',
        brokers.join(','),
        '--describe',
        '--group',
        group,
      ],
      process.env,
    );
    if (result.code !== 0) throw new Error(`ConsumerGroupCommand exited ${result.code}: ${result.stderr}`);
    const number = (cell: string | undefined) => (cell === undefined || cell === '-' ? null : Number(cell));
    return result.stdout
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter((cells) => cells[0] === group)
      .map(([, topic, partition, committed, logEnd, lag]) => ({
        topic: topic!,
        partition: Number(partition),
        committed: number(committed),
        logEnd: number(logEnd),
        lag: number(lag),
      }))
      .sort((a, b) => a.partition - b.partition);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function committedOffsets(admin: Admin, groupId: string): Promise<string[]> {
  const [topic] = await admin.fetchOffsets({ groupId });
  return (topic?.partitions ?? []).sort((a, b) => a.partition - b.partition).map((p) => p.offset);
}

function consumeInto(consumer: Consumer, topic: string, seen: string[]): Promise<void> {
  return consumer.subscribe({ topic, fromBeginning: true }).then(() =>
    consumer.run({
      eachMessage: async ({ message }) => {
        seen.push(message.key?.toString() ?? '');
      },
    }),
  );
}

describe('tactful lag', () => {
  test('reports a stopped group with the lag Kafka reports, then OK once it caught up', async ({
    kafka,
    servers,
  }) => {
    const kafkaTool = kafkaConsumerGroupsTool();
    const brokers = servers.kafkaBrokers;
    const [topic] = await kafka.createTopics(['lagged'], 3);
    const group = `${kafka.namespace}.worker`;
    const producer = await kafka.producer();
    const base = Date.now() - 120_000;

    // the group reads one message of each partition and commits, then stops
    await producer.send({
      topic: topic!,
      acks: -1,
      messages: [0, 1, 2].map((partition) => ({
        partition,
        key: `seed-${partition}`,
        value: 'seed',
        timestamp: String(base),
      })),
    });
    const first = kafka.consumer('worker');
    await first.connect();
    await consumeInto(first, topic!, []);
    await eventually('the group to commit one message on each partition', async () => {
      const offsets = await committedOffsets(kafka.admin, group);
      return offsets.join() === '1,1,1' ? offsets : undefined;
    });
    await first.disconnect();

    // N events whose keys all land on partitions 0 and 1; partition 2 gets none
    const { topics } = await kafka.admin.fetchTopicMetadata({ topics: [topic!] });
    const partitionOf = Partitioners.DefaultPartitioner();
    const place = (key: string) =>
      partitionOf({ topic: topic!, partitionMetadata: topics[0]!.partitions, message: { key, value: null } });
    const keys = Array.from({ length: 60 }, (_, i) => `cust-${i}`)
      .filter((key) => place(key) !== 2)
      .slice(0, 20);
    const N = keys.length;
    const expected = [0, 1, 2].map((p) => keys.filter((k) => place(k) === p).length);
    expect(N).toBe(20);
    expect(expected[0]! > 0 && expected[1]! > 0).toBe(true);
    await producer.send({
      topic: topic!,
      acks: -1,
      messages: keys.map((key, i) => ({ key, value: `event-${i}`, timestamp: String(base + 1000 + i) })),
    });

    const stopped = await tactfulLag(kafka.namespace, brokers);
    expect(stopped.code).toBe(1);
    expect(stopped.json.ok).toBe(false);
    const ours = stopped.json.groups.find((g) => g.groupId === group);
    expect(ours).toMatchObject({ status: 'STOPPED', lag: N, members: [] });
    expect(ours!.partitions.map((p) => [p.partition, p.committed, p.logEnd, p.lag])).toEqual(
      [0, 1, 2].map((p) => [p, 1, 1 + expected[p]!, expected[p]]),
    );
    expect(ours!.partitions.filter((p) => p.lag! > 0).map((p) => p.partition)).toEqual([0, 1]);
    expect(stopped.json.absent).toEqual(
      ['orchestrator', 'sentinel', 'dispatcher'].map((s) => `${kafka.namespace}.${s}`),
    );
    // the next message of each lagging partition is the first event sent to it: its timestamp is known
    for (const p of ours!.partitions.filter((q) => q.lag! > 0)) {
      const firstKey = keys.findIndex((k) => place(k) === p.partition);
      expect(p.nextMessage).toMatchObject({ offset: 1, timestamp: base + 1000 + firstKey, exact: true });
      expect(p.nextMessage!.ageMs).toBeGreaterThanOrEqual(119_000);
    }

    const tool = await kafkaTool(brokers, group);
    console.log(`ConsumerGroupCommand while stopped: ${JSON.stringify(tool)}`);
    expect(tool).toEqual(
      ours!.partitions.map(({ topic, partition, committed, logEnd, lag }) => ({
        topic,
        partition,
        committed,
        logEnd,
        lag,
      })),
    );

    // the group comes back and catches up
    const seen: string[] = [];
    const second = kafka.consumer('worker');
    await second.connect();
    await consumeInto(second, topic!, seen);
    await eventually('the restarted group to read the N events', () => (seen.length >= N ? seen : undefined));
    const caughtUp = await eventually('tactful lag to report the group caught up', async () => {
      const result = await tactfulLag(kafka.namespace, brokers, ['--group', group]);
      return result.code === 0 ? result : undefined;
    });
    const back = caughtUp.json.groups.find((g) => g.groupId === group);
    expect(back).toMatchObject({ status: 'OK', lag: 0 });
    expect(back!.members).toHaveLength(1);
    expect(back!.partitions.map((p) => [p.partition, p.committed, p.lag, p.nextMessage])).toEqual(
      [0, 1, 2].map((p) => [p, 1 + expected[p]!, 0, null]),
    );
    expect(seen.sort()).toEqual([...keys].sort());

    const toolAfter = await kafkaTool(brokers, group);
    console.log(`ConsumerGroupCommand after catching up: ${JSON.stringify(toolAfter)}`);
    expect(toolAfter).toEqual(
      back!.partitions.map(({ topic, partition, committed, logEnd, lag }) => ({
        topic,
        partition,
        committed,
        logEnd,
        lag,
      })),
    );
  });
});
