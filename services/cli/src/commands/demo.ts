import type { Command } from 'commander';
import { playDemo } from '../demo/play';

export function demoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'play the stories of the architecture on the real stack (Kafka, Redis, the services in this process)\n' +
        'with the example journeys, and print for each person what was sent, what was not, and why',
    )
    .option('--wait <duration>', 'every journey wait shortened to this (seconds, ISO 8601)', 'PT2S')
    .option('--keep', 'keep the demo namespace (topics and Redis keys) for `tactful explain` afterwards')
    .action(async (options: { wait: string; keep?: boolean }) => {
      process.exitCode = await playDemo({
        env: process.env,
        wait: options.wait,
        keep: options.keep ?? false,
        write: (text) => process.stdout.write(`${text}\n`),
      });
    });
}
