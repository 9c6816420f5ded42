import { Command } from 'commander';
import { demoCommand } from './commands/demo';
import { doctorCommand } from './commands/doctor';
import { explainCommand } from './commands/explain';
import { journeysCommand } from './commands/journeys';
import { lagCommand } from './commands/lag';
import { publishCommand } from './commands/publish';
import { runCommand } from './commands/run';
import { storeCommand } from './commands/store';
import { topicsCommand } from './commands/topics';

const program = new Command()
  .name('tactful')
  .description(
    'Tactful: outreach journeys on Kafka that never repeat a template and stop at a reply.\n' +
      'Every command reads KAFKA_BROKERS, REDIS_URL and TACTFUL_NAMESPACE like the services do.',
  )
  .showHelpAfterError();

runCommand(program);
topicsCommand(program);
doctorCommand(program);
demoCommand(program);
publishCommand(program);
journeysCommand(program);
explainCommand(program);
lagCommand(program);
storeCommand(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(`tactful: ${(err as Error).message}`);
  process.exit(1);
});
