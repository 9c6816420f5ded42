// What `npm run lint` checks of the workspaces' package.json files beyond what knip sees: knip checks
// the third-party packages each workspace imports, but takes an import of another workspace as a file
// of the repository (they resolve to its sources), so the workspace edges are checked here.

/** A workspace's name, folder (relative to the root) and the workspaces it declares. */
export interface WorkspaceManifest {
  readonly name: string;
  readonly dir: string;
  readonly dependencies: readonly string[];
  readonly devDependencies: readonly string[];
}

/** One import, by the files at either end, relative to the root. */
export interface FileImport {
  readonly from: string;
  readonly to: string;
}

// Tests, and the support modules only tests import (left out of the builds, so they may use devDependencies).
const TEST_FILE = /(\.test|\/test-kit|\/test-stack|\/process-stack)\.ts$/;

/**
 * Pure. Every problem of the workspace graph, sorted: an import of another workspace that the importing
 * one does not declare (a test may use a devDependency; other files need a dependency); a workspace
 * declared but never imported; two workspaces that declare each other (devDependencies too), which
 * makes neither testable nor buildable without the other; a cycle of dependencies.
 */
export function workspaceProblems(
  manifests: readonly WorkspaceManifest[],
  imports: readonly FileImport[],
): string[] {
  const owner = (file: string): WorkspaceManifest | undefined =>
    manifests.find((m) => file.startsWith(`${m.dir}/`));
  const problems = new Set<string>();
  const used = new Set<string>();
  for (const { from, to } of imports) {
    const importer = owner(from);
    const imported = owner(to);
    if (importer === undefined || imported === undefined || importer === imported) continue;
    used.add(`${importer.name} ${imported.name}`);
    const declared = TEST_FILE.test(from)
      ? [...importer.dependencies, ...importer.devDependencies]
      : importer.dependencies;
    if (!declared.includes(imported.name)) {
      const where = TEST_FILE.test(from) ? 'dependencies or devDependencies' : 'dependencies';
      problems.add(`${from} imports ${imported.name}, which ${importer.dir}/package.json lacks in ${where}`);
    }
  }
  const names = new Set(manifests.map((m) => m.name));
  for (const m of manifests) {
    for (const dep of [...m.dependencies, ...m.devDependencies]) {
      if (names.has(dep) && !used.has(`${m.name} ${dep}`))
        problems.add(`${m.dir}/package.json declares ${dep}, which no file of ${m.dir} imports`);
      const other = manifests.find((o) => o.name === dep);
      if (other !== undefined && m.name < other.name && declares(other, m.name))
        problems.add(`${m.name} and ${other.name} declare each other`);
    }
  }
  for (const cycle of dependencyCycles(manifests)) problems.add(`dependency cycle: ${cycle.join(' -> ')}`);
  return [...problems].sort();
}

function declares(m: WorkspaceManifest, name: string): boolean {
  return m.dependencies.includes(name) || m.devDependencies.includes(name);
}

/** Pure. Each cycle of `dependencies` among the workspaces once, from its smallest name. */
function dependencyCycles(manifests: readonly WorkspaceManifest[]): string[][] {
  const byName = new Map(manifests.map((m) => [m.name, m]));
  const cycles = new Map<string, string[]>();
  const walk = (name: string, path: string[]): void => {
    const at = path.indexOf(name);
    if (at >= 0) {
      const cycle = path.slice(at);
      const start = cycle.indexOf([...cycle].sort()[0]!);
      const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
      cycles.set(rotated.join(' '), [...rotated, rotated[0]!]);
      return;
    }
    for (const dep of byName.get(name)?.dependencies ?? []) if (byName.has(dep)) walk(dep, [...path, name]);
  };
  for (const m of manifests) walk(m.name, []);
  return [...cycles.values()];
}
