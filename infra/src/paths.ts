import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root, found from this file so the scripts work from any working directory. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Every log, data file and jar of the local servers lives under one ignored folder, so a failure can
 * point at one path and `rm -rf .tactful` is a full reset. TACTFUL_INFRA_DIR moves it.
 */
export function infraDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.TACTFUL_INFRA_DIR ?? path.join(repoRoot, '.tactful'));
}
