import type { z } from 'zod';
import { ConfigError, loadConfig } from '@tactful/observability';

/** Reads the environment for a command; on a problem prints every one and exits 2 (a usage error). */
export function commandConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  try {
    return loadConfig(schema, env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
}
