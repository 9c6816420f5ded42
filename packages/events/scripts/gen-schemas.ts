// Writes the JSON Schema files of schemas/ from the zod schemas of @tactful/events.
//   npx tsx packages/events/scripts/gen-schemas.ts          write them
//   npx tsx packages/events/scripts/gen-schemas.ts --check  exit 1, listing the files that are stale
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jsonSchemaFiles } from '../src/json-schemas';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../schemas');

async function existing(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'));
}

async function contentOf(path: string): Promise<string | null> {
  return readFile(path, 'utf8').catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  });
}

async function main(check: boolean): Promise<number> {
  const wanted = jsonSchemaFiles();
  const wantedPaths = new Set(wanted.map((file) => file.path));
  // A file whose event type no longer exists is as stale as one with the wrong content. Only events/ is
  // swept: other packages may generate their own files next to command.json.
  const orphans = (await existing(join(root, 'events')))
    .map((path) => `events/${path}`)
    .filter((path) => !wantedPaths.has(path));
  const stale: string[] = [];
  for (const file of wanted) {
    if ((await contentOf(join(root, file.path))) !== file.content) stale.push(file.path);
  }

  if (check) {
    if (stale.length === 0 && orphans.length === 0) return 0;
    for (const path of stale) console.error(`stale:   schemas/${path}`);
    for (const path of orphans) console.error(`orphan:  schemas/${path}`);
    console.error('run: npx tsx packages/events/scripts/gen-schemas.ts');
    return 1;
  }

  for (const file of wanted) {
    if (!stale.includes(file.path)) continue;
    await mkdir(dirname(join(root, file.path)), { recursive: true });
    await writeFile(join(root, file.path), file.content);
    console.log(`wrote   schemas/${file.path}`);
  }
  for (const path of orphans) {
    await rm(join(root, path));
    console.log(`removed schemas/${path}`);
  }
  return 0;
}

process.exitCode = await main(process.argv.includes('--check'));
