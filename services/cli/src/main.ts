import { createProgram, exitCodeOf } from './program';

createProgram()
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    const usage = exitCodeOf(err);
    // commander has already printed a usage error, with the help
    if (usage !== undefined) process.exit(usage);
    console.error(`tactful: ${(err as Error).message}`);
    process.exit(1);
  });
