import { defineConfig } from 'vitest/config';

// Three projects: `unit` runs pure code with no servers; `integration` (*.int.test.ts) gets a real Kafka
// and Redis from the global setup of @tactful/testing (env, testcontainers, or the local infra); `faults`
// (faults/src/*.fault.test.ts) starts a broker and a Redis of its own, crashes them and `tactful run` on
// purpose, and runs after the others, one file at a time, so its kills never meet another test's work.
export default defineConfig({
  test: {
    reporters: process.env.CI ? ['verbose'] : ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            '{packages,services,infra}/*/src/**/*.test.ts',
            'infra/src/**/*.test.ts',
            'test/**/*.test.ts',
            'faults/src/**/*.test.ts',
          ],
          exclude: ['**/*.int.test.ts', '**/*.fault.test.ts', '**/node_modules/**'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['{packages,services,infra}/*/src/**/*.int.test.ts', 'infra/src/**/*.int.test.ts'],
          exclude: ['**/node_modules/**'],
          globalSetup: ['packages/testing/src/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'faults',
          include: ['faults/src/**/*.fault.test.ts'],
          globalSetup: ['packages/testing/src/own-servers-setup.ts'],
          // a scenario's own deadline fails it first, with the count; these only catch a hang
          testTimeout: 900_000,
          hookTimeout: 120_000,
          poolOptions: { forks: { singleFork: true } },
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
