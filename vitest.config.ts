import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Four projects: `unit` runs pure code with no servers; `integration` (*.int.test.ts) gets a real Kafka
// and Redis from the global setup of @tactful/testing (env, testcontainers, or the local infra); `dist`
// (*.dist.int.test.ts) checks the build, installed as users install it; `faults` (faults/src/*.fault.test.ts)
// starts a broker and a Redis of its own, crashes them and `tactful run` on purpose, and runs last, one file
// at a time, so its kills and its load never meet another test's work.
// The workspaces' `tactful-source` export condition points at src/: tests run the TypeScript sources, never a
// build in dist/ that may be stale or missing.
const SOURCE = 'tactful-source';

export default defineConfig({
  resolve: { conditions: [SOURCE, ...defaultClientConditions] },
  ssr: { resolve: { conditions: [SOURCE, ...defaultServerConditions] } },
  test: {
    reporters: process.env.CI ? ['verbose'] : ['default'],
    // vitest's default is one worker per core but one, which is a single file at a time on two cores; the
    // integration and fault tests spend most of their time waiting on Kafka, Redis and SMTP, so three
    // files at a time keep the cores busy without starving any one test
    maxWorkers: 3,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            '{packages,services,infra}/*/src/**/*.test.ts',
            'infra/src/**/*.test.ts',
            'infra/scripts/**/*.test.ts',
            'test/**/*.test.ts',
            'faults/src/**/*.test.ts',
          ],
          exclude: ['**/*.int.test.ts', '**/*.fault.test.ts', '**/node_modules/**'],
          // property tests run hundreds of cases: on two cores shared with the integration tests one can
          // take several times its quiet duration, and a limit is not a speed claim (benchmarks make those)
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['{packages,services,infra}/*/src/**/*.int.test.ts', 'infra/src/**/*.int.test.ts'],
          exclude: ['**/node_modules/**', '**/*.dist.int.test.ts'],
          globalSetup: ['packages/testing/src/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // what the build produces, installed as users install it (the production layout, the SDK
        // tarball), against the real servers; its global setup runs `npm run build` first
        extends: true,
        test: {
          name: 'dist',
          // after the others, not beside them: installs and type-checks would load the two cores the
          // integration tests' timings share
          sequence: { groupOrder: 1 },
          include: [
            '{packages,services,infra}/*/src/**/*.dist.int.test.ts',
            'infra/src/**/*.dist.int.test.ts',
          ],
          globalSetup: ['packages/testing/src/global-setup.ts', 'packages/testing/src/build-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'faults',
          include: ['faults/src/**/*.fault.test.ts'],
          globalSetup: ['packages/testing/src/own-servers-setup.ts'],
          // a scenario's own deadline fails it first, with the count; these only catch a hang
          testTimeout: 900_000,
          hookTimeout: 120_000,
          poolOptions: { forks: { singleFork: true } },
          // after the dist project too: its builds and installs would share the two cores with the kills
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
