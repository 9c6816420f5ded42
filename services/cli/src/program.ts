import { createRequire } from 'node:module';
import { Command, CommanderError, type OutputConfiguration } from 'commander';
import { demoCommand } from './commands/demo';
import { doctorCommand } from './commands/doctor';
import { explainCommand } from './commands/explain';
import { journeysCommand } from './commands/journeys';
import { lagCommand } from './commands/lag';
import { publishCommand } from './commands/publish';
import { runCommand } from './commands/run';
import { storeCommand } from './commands/store';
import { templatesCommand } from './commands/templates';
import { topicsCommand } from './commands/topics';

/** The exit status of a usage error (an unknown option or command, a missing or invalid argument). */
export const USAGE_EXIT = 2;

// ../package.json from src/ and from dist/ alike: the version of the installed @tactful/cli
const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/**
 * The `tactful` program. Commander throws instead of exiting (`exitOverride`, inherited by every command
 * registered below), so that `exitCodeOf` decides the status of every usage error in one place. `output`
 * replaces where commander writes (tests).
 */
export function createProgram(output?: OutputConfiguration): Command {
  const program = new Command()
    .name('tactful')
    .description(
      'Tactful: outreach journeys on Kafka that never repeat a template and stop at a reply.\n' +
        'Every command reads KAFKA_BROKERS, REDIS_URL and TACTFUL_NAMESPACE like the services do.\n' +
        'Exit status: 0 success, 1 failure, 2 usage error (options, arguments, environment).',
    )
    .version(version, '-V, --version', 'print the version')
    .exitOverride()
    .showHelpAfterError();
  if (output) program.configureOutput(output);

  runCommand(program);
  topicsCommand(program);
  doctorCommand(program);
  demoCommand(program);
  publishCommand(program);
  journeysCommand(program);
  explainCommand(program);
  lagCommand(program);
  storeCommand(program);
  templatesCommand(program);
  return program;
}

/**
 * Pure. The exit status for an error thrown out of `parseAsync`: 0 after `--help` or `--version`, 2 for
 * any other error of commander's (usage), undefined for the commands' own errors.
 */
export function exitCodeOf(err: unknown): number | undefined {
  if (!(err instanceof CommanderError)) return undefined;
  return err.exitCode === 0 ? 0 : USAGE_EXIT;
}
