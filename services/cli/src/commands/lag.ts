import type { Command } from 'commander';
import { createKafkaClient, createLagMonitor, type LagMonitor } from '@tactful/kafka';
import { TactfulEnv } from '@tactful/observability';
import { commandConfig } from '../env';
import { lagExitCode, lagJson, renderLagText, type LagView } from './lag-render';

const STATUS_HELP = `
Statuses (per group, judged over the samples taken: two, --interval apart, or the last --window of --watch):
  OK       nothing waits (lag 0, with or without members), or the lag shrinks, or it appeared too recently
           to judge
  WARNING  the committed offset moves but the lag did not decrease across the window (the group does not
           keep up), or the committed offset went backwards (offsets were reset)
  STALLED  the group has members, but a lagging partition's committed offset did not move across the window
  STOPPED  the group has no members while messages wait

Columns: COMMITTED is the next offset the group will read, LOG-END the offset of the next message written,
LAG their difference. LAG-TIME is how long the partition has been behind without its committed offset
moving ("≥" when it was already so at the first sample). OLDEST is the age of the next message to consume,
from the broker's time index (a lower bound, "≥", unless the broker confirms that message's timestamp).

Groups: the namespace's own (N.orchestrator, N.sentinel, N.dispatcher) and every group whose id starts with
"N." (TACTFUL_NAMESPACE); groups Kafka does not know are listed as absent.

Exit status: 0 every group is OK; 1 a group is not OK, a --group does not exist, or Kafka failed;
2 invalid options or environment.

Examples:
  tactful lag                          two samples one second apart, a table
  tactful lag --interval 10 --json     a 10 s window, as JSON (for scripts and probes)
  tactful lag --watch                  refresh every 5 s until Ctrl-C
  tactful lag --group tactful.orchestrator --watch 2
`;

interface LagOptions {
  json?: boolean;
  watch?: boolean | string;
  interval: string;
  window: string;
  group?: string[];
  age: boolean;
}

function seconds(name: string, value: string, fail: (message: string) => never): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 86_400)
    fail(`${name} must be a number of seconds (0 < s ≤ 86400)`);
  return n;
}

/** Waits `ms`, or less when `signal` aborts (Ctrl-C in a watch). */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export function lagCommand(program: Command): void {
  program
    .command('lag')
    .description('consumer lag per group, topic and partition: offsets, time, and a status per group')
    .option('--json', 'print JSON (with --watch: one document per line, per refresh)')
    .option('-w, --watch [seconds]', 'refresh every N seconds (default 5) until interrupted')
    .option('-i, --interval <seconds>', 'without --watch: time between the two samples', '1')
    .option('-g, --group <id...>', 'only these consumer groups (default: those of the namespace)')
    .option('--window <samples>', 'with --watch: the samples the status is judged over', '10')
    .option('--no-age', "don't date the next message of each lagging partition (OLDEST)")
    .addHelpText('after', STATUS_HELP)
    .action(async (options: LagOptions, command: Command) => {
      const fail = (message: string): never => command.error(`error: ${message}`, { exitCode: 2 });
      const config = commandConfig(TactfulEnv, process.env);
      const interval = seconds('--interval', options.interval, fail);
      const every = typeof options.watch === 'string' ? seconds('--watch', options.watch, fail) : 5;
      const window = Number(options.window);
      if (!Number.isInteger(window) || window < 2)
        fail('--window must be a whole number of samples, at least 2');

      const kafka = createKafkaClient({
        brokers: config.KAFKA_BROKERS,
        clientId: 'tactful-lag',
        retry: { retries: 3, initialRetryTime: 300, maxRetryTime: 2000 },
        requestTimeoutMs: 10_000,
      });
      const admin = kafka.admin();
      await admin.connect();
      const common = { admin, window, estimateAge: options.age };
      const monitor = options.group?.length
        ? createLagMonitor({ ...common, groups: options.group, namespace: config.TACTFUL_NAMESPACE })
        : createLagMonitor({ ...common, namespace: config.TACTFUL_NAMESPACE });
      const view = async (m: LagMonitor): Promise<LagView> => {
        const report = await m.sample();
        const absent = new Set(report.absent);
        return {
          namespace: config.TACTFUL_NAMESPACE,
          report,
          missing: (options.group ?? []).filter((g) => absent.has(g)),
        };
      };
      try {
        if (options.watch === undefined) {
          await monitor.sample();
          await pause(interval * 1000);
          const result = await view(monitor);
          console.log(options.json ? JSON.stringify(lagJson(result), null, 2) : renderLagText(result));
          process.exitCode = lagExitCode(result);
          return;
        }
        await watch(() => view(monitor), every, options.json ?? false);
      } finally {
        await admin.disconnect();
      }
    });
}

/**
 * Refreshes until SIGINT or SIGTERM, then exits with the code of the last refresh. A refresh that fails
 * (a broker away for a moment) is reported on stderr and the watch goes on: an ops screen should outlive
 * the outage it is there to show.
 */
async function watch(next: () => Promise<LagView>, everySeconds: number, json: boolean): Promise<void> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const tty = process.stdout.isTTY === true && !json;
  let code = 1;
  try {
    while (!stop.signal.aborted) {
      try {
        const result = await next();
        code = lagExitCode(result);
        if (json) process.stdout.write(`${JSON.stringify(lagJson(result))}\n`);
        // cursor home and clear: the table is redrawn in place; piped output gets plain blocks instead
        else process.stdout.write(`${tty ? '\x1b[H\x1b[2J' : ''}${renderLagText(result)}\n\n`);
      } catch (err) {
        code = 1;
        console.error(`tactful lag: ${(err as Error).message} (retrying in ${everySeconds}s)`);
      }
      await pause(everySeconds * 1000, stop.signal);
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  process.exitCode = code;
}
