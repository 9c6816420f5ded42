import type { Command } from 'commander';
import { ConfigError, createLogger, loadConfig, runUntilSignal } from '@tactful/observability';
import { TactfulError } from '@tactful/events';
import { ServiceConfig } from '@tactful/runtime';
import { parseOnly, SERVICE_NAMES } from '../run/services';
import { startStack } from '../run/stack';

// Past this, a shutdown still waiting (a stuck request, an unreachable broker) is abandoned.
export const SHUTDOWN_DEADLINE_MS = 30_000;

export function runCommand(program: Command): void {
  program
    .command('run')
    .description(
      'run the services in one process, serving /metrics, /healthz and /readyz (and the ingest API when the\n' +
        'gateway runs) on TACTFUL_HTTP_PORT; SIGTERM drains the work in hand and leaves the consumer groups',
    )
    .option('--only <services>', `comma-separated subset of: ${SERVICE_NAMES.join(', ')}`)
    .action(async (options: { only?: string }) => {
      const only = parseOnly(options.only);
      let config: ServiceConfig;
      try {
        config = loadConfig(ServiceConfig, process.env);
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        console.error(err.message);
        process.exit(2);
      }
      if (only.problems.length > 0) {
        console.error(only.problems.map((p) => `tactful run: ${p}`).join('\n'));
        process.exit(2);
      }
      const logger = createLogger({ level: config.LOG_LEVEL, name: 'tactful' });
      let stack;
      try {
        stack = await startStack({ env: process.env, services: only.services, logger });
      } catch (err) {
        // a service's files or settings refused at prepare (journeys, policy, templates, SMTP): a usage error
        if (
          err instanceof TactfulError &&
          (err.code === 'journey.invalid' || err.code === 'config.invalid')
        ) {
          console.error(err.message);
          process.exit(2);
        }
        throw err;
      }
      runUntilSignal({
        logger,
        deadlineMs: SHUTDOWN_DEADLINE_MS,
        close: () => stack.close(),
        failed: stack.failed,
      });
    });
}
