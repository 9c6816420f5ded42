import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './paths';

/**
 * The workspaces a production install runs (`tactful run` and every command): all but @tactful/testing,
 * which only tests import.
 */
export const RUNTIME_WORKSPACES = [
  'packages/events',
  'packages/observability',
  'packages/journeys',
  'packages/policy',
  'packages/engine',
  'packages/kafka',
  'packages/store-redis',
  'packages/runtime',
  'infra',
  'services/orchestrator',
  'services/scheduler',
  'services/sentinel',
  'services/dispatcher',
  'services/gateway',
  'services/console',
  'services/cli',
] as const;

/** The example journeys, templates and policy, so the image runs with `TACTFUL_*` left at their defaults. */
const EXAMPLES = ['journeys', 'templates', 'policy.yaml'];

// Declarations and build state are for compilers, not for `node`.
const runtimeFile = (file: string): boolean => !/\.d\.ts(\.map)?$|\.tsbuildinfo$/.test(file);

/**
 * Writes what the image runs to `dest` (the Dockerfile and the runtime-layout test use this one function):
 * the root manifest and lock, each runtime workspace's package.json and compiled dist/ (the cli's bin
 * too), and the examples. `npm ci --omit=dev` in `dest` then installs the production dependencies.
 * Needs `npm run build` first.
 */
export function writeRuntimeLayout(dest: string, root: string = repoRoot): void {
  fs.mkdirSync(dest, { recursive: true });
  for (const file of ['package.json', 'package-lock.json']) {
    fs.copyFileSync(path.join(root, file), path.join(dest, file));
  }
  for (const workspace of RUNTIME_WORKSPACES) {
    const from = path.join(root, workspace);
    const dist = path.join(from, 'dist');
    if (!fs.existsSync(path.join(dist, '.tsbuildinfo'))) {
      throw new Error(`${workspace} is not built (no dist/): run \`npm run build\` first`);
    }
    fs.mkdirSync(path.join(dest, workspace), { recursive: true });
    fs.copyFileSync(path.join(from, 'package.json'), path.join(dest, workspace, 'package.json'));
    fs.cpSync(dist, path.join(dest, workspace, 'dist'), { recursive: true, filter: runtimeFile });
    if (fs.existsSync(path.join(from, 'bin'))) {
      fs.cpSync(path.join(from, 'bin'), path.join(dest, workspace, 'bin'), { recursive: true });
    }
  }
  for (const example of EXAMPLES) {
    fs.cpSync(path.join(root, example), path.join(dest, example), { recursive: true });
  }
}
