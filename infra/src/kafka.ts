import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { canConnect, waitFor } from './net';
import { isRunning, killPid, readPid, spawnDetached, stopPid, tail } from './process';
import { infraDir, repoRoot } from './paths';

export const DEFAULT_KAFKA_VERSION = '3.9.1';

export interface KafkaLayout {
  version: string;
  port: number;
  controllerPort: number;
  home: string;
  libs: string;
  dataDir: string;
  configFile: string;
  logFile: string;
  pidFile: string;
  stateFile: string;
  /** Broker properties added to (or overriding) the template's, e.g. for a test's own broker. */
  properties?: Readonly<Record<string, string>>;
}

export function kafkaLayout(dir: string, env: NodeJS.ProcessEnv = process.env): KafkaLayout {
  const version = env.TACTFUL_KAFKA_VERSION ?? DEFAULT_KAFKA_VERSION;
  const home = path.join(dir, 'kafka');
  return {
    version,
    port: Number(env.TACTFUL_KAFKA_PORT ?? 9092),
    controllerPort: Number(env.TACTFUL_KAFKA_CONTROLLER_PORT ?? 9093),
    home,
    // jars are cached per version outside git, so switching versions never mixes two _2.13 builds
    libs: path.join(home, `libs-${version}`),
    dataDir: path.join(home, 'data'),
    configFile: path.join(home, 'server.properties'),
    logFile: path.join(home, 'kafka.log'),
    pidFile: path.join(home, 'kafka.pid'),
    stateFile: path.join(home, 'state.json'),
  };
}

/**
 * A broker of its own in `home` (data, config, log, pid file) on the given ports, sharing the jars of the
 * project's infra folder: a test that kills and restarts a broker starts one of these, never the shared one.
 */
export function kafkaLayoutAt(
  home: string,
  ports: { port: number; controllerPort: number },
  options: { properties?: Readonly<Record<string, string>>; env?: NodeJS.ProcessEnv } = {},
): KafkaLayout {
  const shared = kafkaLayout(infraDir(options.env), options.env);
  return {
    ...shared,
    ...ports,
    home,
    dataDir: path.join(home, 'data'),
    configFile: path.join(home, 'server.properties'),
    logFile: path.join(home, 'kafka.log'),
    pidFile: path.join(home, 'kafka.pid'),
    stateFile: path.join(home, 'state.json'),
    ...(options.properties ? { properties: options.properties } : {}),
  };
}

type Say = (line: string) => void;

/** Copies the broker and tools jars of the pinned version from Maven Central (once per version). */
export function ensureKafkaJars(layout: KafkaLayout, say: Say): void {
  const marker = path.join(layout.libs, '.complete');
  if (fs.existsSync(marker)) return;
  say(`fetching Apache Kafka ${layout.version} jars from Maven Central into ${layout.libs}`);
  fs.mkdirSync(layout.libs, { recursive: true });
  const result = spawnSync(
    'mvn',
    [
      '-B',
      '-q',
      '-f',
      path.join(repoRoot, 'infra', 'kafka', 'pom.xml'),
      `-Dkafka.version=${layout.version}`,
      'dependency:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${layout.libs}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' },
  );
  if (result.error || result.status !== 0) {
    throw new Error(
      `mvn could not fetch Kafka ${layout.version} (is Maven installed and Maven Central reachable?)\n` +
        `${result.error?.message ?? ''}${result.stdout ?? ''}${result.stderr ?? ''}`,
    );
  }
  fs.writeFileSync(marker, new Date().toISOString());
}

function writeConfig(layout: KafkaLayout): void {
  const template = fs.readFileSync(
    path.join(repoRoot, 'infra', 'kafka', 'server.properties.template'),
    'utf8',
  );
  const extra = Object.entries(layout.properties ?? {}).map(([key, value]) => `${key}=${value}\n`);
  // a property given twice takes its last value, so the extra lines override the template's
  fs.writeFileSync(
    layout.configFile,
    template
      .replaceAll('{{DATA_DIR}}', layout.dataDir)
      .replaceAll('{{PORT}}', String(layout.port))
      .replaceAll('{{CONTROLLER_PORT}}', String(layout.controllerPort)) + extra.join(''),
  );
}

function java(layout: KafkaLayout): string[] {
  return [
    '-cp',
    `${layout.libs}/*`,
    `-Dlog4j.configuration=file:${path.join(repoRoot, 'infra', 'kafka', 'log4j.properties')}`,
  ];
}

/** Formats the KRaft log directory once; a directory formatted with another cluster id is reused as is. */
function formatStorage(layout: KafkaLayout): void {
  if (fs.existsSync(path.join(layout.dataDir, 'meta.properties'))) return;
  fs.mkdirSync(layout.dataDir, { recursive: true });
  execFileSync(
    'java',
    [
      ...java(layout),
      'kafka.tools.StorageTool',
      'format',
      '-t',
      randomUUID().replaceAll('-', '').slice(0, 22),
      '-c',
      layout.configFile,
      '--ignore-formatted',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

export interface KafkaStatus {
  listening: boolean;
  pid?: number;
  ours: boolean;
  version?: string;
}

export async function kafkaStatus(layout: KafkaLayout): Promise<KafkaStatus> {
  const pid = readPid(layout.pidFile);
  const ours = pid !== undefined && isRunning(pid);
  const listening = await canConnect('127.0.0.1', layout.port);
  const state = fs.existsSync(layout.stateFile)
    ? (JSON.parse(fs.readFileSync(layout.stateFile, 'utf8')) as { version?: string })
    : {};
  return {
    listening,
    ours,
    ...(ours ? { pid } : {}),
    ...(ours && state.version ? { version: state.version } : {}),
  };
}

/** Starts the broker unless one already answers on the port (then it is reused). Idempotent. */
export async function startKafka(
  layout: KafkaLayout,
  say: Say,
  timeoutMs = 90_000,
): Promise<'started' | 'reused'> {
  const status = await kafkaStatus(layout);
  if (status.listening) {
    say(`kafka: reusing the broker on 127.0.0.1:${layout.port}${status.ours ? ` (pid ${status.pid})` : ''}`);
    return 'reused';
  }
  fs.mkdirSync(layout.home, { recursive: true });
  ensureKafkaJars(layout, say);
  writeConfig(layout);
  formatStorage(layout);
  say(
    `kafka: starting Apache Kafka ${layout.version} (KRaft) on 127.0.0.1:${layout.port}, log ${layout.logFile}`,
  );
  const pid = spawnDetached(
    'java',
    ['-Xms256m', '-Xmx512m', '-XX:+UseG1GC', ...java(layout), 'kafka.Kafka', layout.configFile],
    layout.logFile,
    layout.pidFile,
  );
  fs.writeFileSync(layout.stateFile, JSON.stringify({ version: layout.version, pid }));
  // the broker opens its listener only once it is caught up and unfenced, so a connect means ready
  const outcome = await waitFor(() => canConnect('127.0.0.1', layout.port), {
    timeoutMs,
    isAlive: () => isRunning(pid),
  });
  if (outcome !== 'ready') {
    if (isRunning(pid)) await stopPid(pid, 10_000);
    throw new Error(
      `kafka did not become ready (${outcome === 'died' ? 'the process exited' : `not listening after ${timeoutMs} ms`}).\n` +
        `log: ${layout.logFile}\n--- last lines ---\n${tail(layout.logFile)}`,
    );
  }
  say(`kafka: ready (pid ${pid})`);
  return 'started';
}

export async function stopKafka(layout: KafkaLayout, say: Say): Promise<void> {
  const pid = readPid(layout.pidFile);
  if (pid === undefined) {
    say('kafka: not started by us');
    return;
  }
  // a broker's controlled shutdown takes a few seconds; give it room before forcing
  const outcome = await stopPid(pid, 30_000);
  fs.rmSync(layout.pidFile, { force: true });
  say(`kafka: ${outcome === 'not-running' ? 'was not running' : outcome} (pid ${pid})`);
}

/** SIGKILLs the broker started in this layout, as a crash would, and waits until it is gone. */
export async function killKafka(layout: KafkaLayout): Promise<'killed' | 'not-running'> {
  const pid = readPid(layout.pidFile);
  return pid === undefined ? 'not-running' : killPid(pid);
}
