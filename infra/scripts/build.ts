// `npm run build`: every workspace compiled to dist/ (JavaScript, declarations, source maps) by TypeScript's
// own build mode, the same as `tsc -b tsconfig.build.json` (project references, incremental), with one
// transformer added (full-specifiers.ts) so that `node dist/…` runs and the declarations resolve under any
// moduleResolution an integrator uses. Plain `tsc -b` would emit the sources' extensionless imports.
//
//   npx tsx infra/scripts/build.ts            build what changed
//   npx tsx infra/scripts/build.ts --clean    remove every dist/ first
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { repoRoot } from '../src/paths';
import { rewriting, SOURCE_EXTENSIONS } from './full-specifiers';

const SOLUTION = path.join(repoRoot, 'tsconfig.build.json');

/** Files of src/ that are not TypeScript (Lua scripts, the console's static files) go to dist/ as they are. */
function copyAssets(workspace: string): number {
  const src = path.join(workspace, 'src');
  let copied = 0;
  for (const entry of fs.readdirSync(src, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || SOURCE_EXTENSIONS.some((ext) => entry.name.endsWith(ext))) continue;
    const from = path.join(entry.parentPath, entry.name);
    const relative = path.relative(src, from);
    if (relative.split(path.sep).includes('__fixtures__')) continue;
    const to = path.join(workspace, 'dist', relative);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
    copied += 1;
  }
  return copied;
}

function workspaces(): string[] {
  const solution = ts.readConfigFile(SOLUTION, ts.sys.readFile).config as { references: { path: string }[] };
  return solution.references.map((ref) => path.dirname(path.resolve(repoRoot, ref.path)));
}

function main(clean: boolean): number {
  if (clean) {
    for (const workspace of workspaces())
      fs.rmSync(path.join(workspace, 'dist'), { recursive: true, force: true });
  }
  const formatHost: ts.FormatDiagnosticsHost = {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => repoRoot,
    getNewLine: () => '\n',
  };
  const report = (diagnostic: ts.Diagnostic): void => {
    process.stderr.write(ts.formatDiagnosticsWithColorAndContext([diagnostic], formatHost));
  };
  const host = ts.createSolutionBuilderHost(ts.sys, undefined, report, report);
  const builder = ts.createSolutionBuilder(host, [SOLUTION], {});
  const status = builder.build(undefined, undefined, undefined, () => ({
    before: [rewriting],
    afterDeclarations: [rewriting],
  }));
  if (status !== ts.ExitStatus.Success) {
    process.stderr.write(`build failed (${ts.ExitStatus[status]})\n`);
    return 1;
  }
  let assets = 0;
  for (const workspace of workspaces()) assets += copyAssets(workspace);
  // the SDK ships the JSON Schemas of its events (generated into schemas/ from the zod schemas)
  fs.cpSync(path.join(repoRoot, 'schemas'), path.join(repoRoot, 'packages', 'events', 'dist', 'schemas'), {
    recursive: true,
  });
  console.log(`built ${workspaces().length} workspaces (${assets} assets copied)`);
  return 0;
}

process.exitCode = main(process.argv.includes('--clean'));
