import { TactfulError } from '@tactful/events';
import { ConfigError, runUntilSignal } from '@tactful/observability';
import { startServices } from './start-services';
import type { ServiceEntry } from './starter';

export interface RunServiceOptions {
  /** The service's name: its process is `tactful-<name>` in the logs and for Kafka. */
  readonly name: string;
  readonly entry: ServiceEntry;
  readonly env: NodeJS.ProcessEnv;
  /** Past this, a shutdown still waiting (a stuck request, an unreachable broker) is abandoned. */
  readonly deadlineMs?: number;
}

const SHUTDOWN_DEADLINE_MS = 30_000;

/**
 * The whole of a service's `main.ts`: starts that one service with the resources every service gets,
 * then runs until SIGTERM or SIGINT (exit 0 after the drain) or until the service stops on its own
 * (exit 1). A configuration or a file the service refuses exits 2 with every problem listed, as
 * `tactful run` does.
 */
export function runService(options: RunServiceOptions): void {
  const name = `tactful-${options.name}`;
  startServices({ env: options.env, name, services: [{ name: options.name, entry: options.entry }] }).then(
    (started) =>
      runUntilSignal({
        logger: started.logger,
        deadlineMs: options.deadlineMs ?? SHUTDOWN_DEADLINE_MS,
        close: () => started.close(),
        failed: started.failed,
      }),
    (err: unknown) => {
      const refused =
        err instanceof ConfigError ||
        (err instanceof TactfulError && (err.code === 'journey.invalid' || err.code === 'config.invalid'));
      const message = err instanceof Error ? err.message : String(err);
      console.error(refused ? message : `${name}: ${message}`);
      process.exit(refused ? 2 : 1);
    },
  );
}
