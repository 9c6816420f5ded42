import path from 'node:path';
import { repoRoot } from '@tactful/infra';

/** The `tactful` npm bin of the repository. */
export const TACTFUL_BIN = path.join(repoRoot, 'services', 'cli', 'bin', 'tactful.mjs');

/**
 * What follows `process.execPath` to run `tactful <args>` on the TypeScript sources under test: the bin
 * under the `tactful-source` export condition with tsx loaded, as `npm run tactful` does. The bin alone runs the
 * build in dist/, which may be stale or missing; a test must run the code it tests. Spawn it from the
 * repository root (the default for a vitest run), where `tsx` resolves.
 */
export function tactfulArgv(args: readonly string[]): string[] {
  return sourceArgv(TACTFUL_BIN, args);
}

/**
 * What follows `process.execPath` to run a TypeScript script of the repository (a test's own child
 * process) on the sources, for the same reason: tsx loaded and the workspaces resolved to src/.
 */
export function sourceArgv(script: string, args: readonly string[] = []): string[] {
  return ['--conditions=tactful-source', '--import', 'tsx', script, ...args];
}
