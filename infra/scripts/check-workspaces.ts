// `npm run lint:deps` after dependency-cruiser and knip: each workspace's package.json declares the
// workspaces its files import and no other, and no two workspaces depend on each other. Exit 1 with
// every problem listed.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FileImport, WorkspaceManifest } from './workspace-dependencies';
import { workspaceProblems } from './workspace-dependencies';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface PackageJson {
  name: string;
  workspaces?: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const readJson = (file: string): PackageJson =>
  JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as PackageJson;

function manifests(): WorkspaceManifest[] {
  const dirs = (readJson('package.json').workspaces ?? []).flatMap((pattern) =>
    pattern.endsWith('/*')
      ? fs
          .readdirSync(path.join(root, pattern.slice(0, -2)))
          .map((name) => `${pattern.slice(0, -2)}/${name}`)
          .filter((dir) => fs.existsSync(path.join(root, dir, 'package.json')))
      : [pattern],
  );
  return dirs.map((dir) => {
    const pkg = readJson(`${dir}/package.json`);
    return {
      name: pkg.name,
      dir,
      dependencies: Object.keys(pkg.dependencies ?? {}),
      devDependencies: Object.keys(pkg.devDependencies ?? {}),
    };
  });
}

function imports(dirs: readonly string[]): FileImport[] {
  const bin = path.join(root, 'node_modules/.bin/depcruise');
  const args = [...dirs, '--config', '.dependency-cruiser.cjs', '--output-type', 'json'];
  const out = execFileSync(bin, args, { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const result = JSON.parse(out) as {
    modules: { source: string; dependencies: { resolved: string }[] }[];
  };
  return result.modules.flatMap((m) => m.dependencies.map((d) => ({ from: m.source, to: d.resolved })));
}

const workspaces = manifests();
const problems = workspaceProblems(workspaces, imports(workspaces.map((w) => w.dir)));
if (problems.length > 0) {
  console.error(`workspace dependencies (${problems.length} problems):`);
  for (const problem of problems) console.error(`  - ${problem}`);
  process.exit(1);
}
console.log(`workspace dependencies: ${workspaces.length} workspaces declare what they import`);
