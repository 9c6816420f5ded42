import { spawnSync } from 'node:child_process';
import { repoRoot } from '@tactful/infra';

/**
 * vitest global setup of the `dist` project: `npm run build` once, before the tests that check what the
 * build produces (the production install, the SDK tarball). Incremental: an up-to-date build takes a few
 * seconds. The other projects run the sources and never need it.
 */
export default function setup(): void {
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: repoRoot, encoding: 'utf8' });
  if (build.status !== 0) {
    throw new Error(`npm run build failed (exit ${build.status}):\n${build.stdout}${build.stderr}`);
  }
}
