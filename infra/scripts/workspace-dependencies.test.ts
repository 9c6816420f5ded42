import { describe, expect, it } from 'vitest';
import type { WorkspaceManifest } from './workspace-dependencies';
import { workspaceProblems } from './workspace-dependencies';

const ws = (
  name: string,
  dependencies: string[] = [],
  devDependencies: string[] = [],
): WorkspaceManifest => ({ name, dir: `packages/${name}`, dependencies, devDependencies });

describe('workspaceProblems', () => {
  it('finds nothing when every import of another workspace is declared and every declaration used', () => {
    const manifests = [ws('events'), ws('kafka', ['events'], ['testing']), ws('testing')];
    const imports = [
      { from: 'packages/kafka/src/client.ts', to: 'packages/events/src/index.ts' },
      { from: 'packages/kafka/src/client.int.test.ts', to: 'packages/testing/src/index.ts' },
      { from: 'packages/kafka/src/client.ts', to: 'packages/kafka/src/lag.ts' },
    ];
    expect(workspaceProblems(manifests, imports)).toEqual([]);
  });

  it('refuses an import the package.json does not declare, and a devDependency used outside tests', () => {
    const manifests = [ws('events'), ws('observability', [], ['events'])];
    const imports = [{ from: 'packages/observability/src/config.ts', to: 'packages/events/src/index.ts' }];
    expect(workspaceProblems(manifests, imports)).toEqual([
      'packages/observability/src/config.ts imports events, which packages/observability/package.json lacks in dependencies',
    ]);
  });

  it('refuses a workspace declared but never imported', () => {
    expect(workspaceProblems([ws('events'), ws('policy', ['events'])], [])).toEqual([
      'packages/policy/package.json declares events, which no file of packages/policy imports',
    ]);
  });

  it('refuses two workspaces that declare each other, at test time too', () => {
    const manifests = [ws('kafka', [], ['testing']), ws('testing', ['kafka'])];
    const imports = [
      { from: 'packages/kafka/src/a.int.test.ts', to: 'packages/testing/src/index.ts' },
      { from: 'packages/testing/src/fixtures.ts', to: 'packages/kafka/src/index.ts' },
    ];
    expect(workspaceProblems(manifests, imports)).toEqual(['kafka and testing declare each other']);
  });

  it('refuses a cycle of dependencies, named once', () => {
    const manifests = [ws('a', ['b']), ws('b', ['c']), ws('c', ['a'])];
    const imports = [
      { from: 'packages/a/src/x.ts', to: 'packages/b/src/x.ts' },
      { from: 'packages/b/src/x.ts', to: 'packages/c/src/x.ts' },
      { from: 'packages/c/src/x.ts', to: 'packages/a/src/x.ts' },
    ];
    expect(workspaceProblems(manifests, imports)).toEqual(['dependency cycle: a -> b -> c -> a']);
  });
});
