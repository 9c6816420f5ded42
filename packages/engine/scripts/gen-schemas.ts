// Writes the JSON Schemas of the files people write by hand (journeys, the contact policy, simulation
// timelines) to schemas/, from the zod schemas that read them:
//   npm run schemas          write them
//   npm run schemas -- --check  exit 1, listing the files that are stale
// The event, command and audit schemas are written by packages/events/scripts/gen-schemas.ts.
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { authoringSchemaFiles } from '../src/authoring-schemas';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../schemas');

async function main(check: boolean): Promise<number> {
  const stale: string[] = [];
  for (const file of authoringSchemaFiles()) {
    const committed = await readFile(join(root, file.path), 'utf8').catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    });
    if (committed === file.content) continue;
    stale.push(file.path);
    if (!check) {
      await writeFile(join(root, file.path), file.content);
      console.log(`wrote   schemas/${file.path}`);
    }
  }
  if (check && stale.length > 0) {
    for (const path of stale) console.error(`stale:   schemas/${path}`);
    console.error('run: npm run schemas');
    return 1;
  }
  return 0;
}

process.exitCode = await main(process.argv.includes('--check'));
