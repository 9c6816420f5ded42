#!/usr/bin/env node
// The `tactful` command. It runs the compiled JavaScript of dist/ (`npm run build`) with plain node.
// Under the `tactful-source` condition with tsx loaded (`node --conditions=tactful-source --import tsx`,
// as `npm run tactful` and the tests run it), the package's `#main` import resolves to the TypeScript
// sources instead, so the code under test runs without a build.
const main = import.meta.resolve('#main');
if (main.endsWith('.js')) {
  const { existsSync } = await import('node:fs');
  if (!existsSync(new URL(main))) {
    console.error(
      'tactful: not built (no dist/main.js). Run `npm run build`, or `npm run tactful -- <args>` for the sources.',
    );
    process.exit(1);
  }
}
await import(main);
