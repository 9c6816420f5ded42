import { readdir, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from './event-types';
import { jsonSchemaFiles } from './json-schemas';

// schemas/ is generated from the zod schemas and committed for users in other languages; this test
// fails when the two drift apart. Fix: npx tsx packages/events/scripts/gen-schemas.ts
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../schemas');

describe('the committed JSON Schema files', () => {
  const files = jsonSchemaFiles();

  it.each(files.map((file) => [file.path, file.content] as const))(
    'schemas/%s is up to date',
    async (path, content) => {
      const committed = await readFile(resolve(root, path), 'utf8');
      expect(committed, `schemas/${path} is stale: run npx tsx packages/events/scripts/gen-schemas.ts`).toBe(
        content,
      );
    },
  );

  it('has no file for an event type that no longer exists', async () => {
    const committed = await readdir(resolve(root, 'events'));
    expect(committed.sort()).toEqual(EVENT_TYPES.map((type) => `${type}.json`).sort());
  });

  it('describes every event as the full envelope, extensions included', () => {
    for (const type of EVENT_TYPES) {
      const file = files.find((f) => f.path === `events/${type}.json`);
      const schema = JSON.parse(file?.content ?? '{}') as Record<string, unknown>;
      expect(schema).toMatchObject({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        title: type,
        required: expect.arrayContaining(['specversion', 'id', 'source', 'type', 'subject', 'time', 'data']),
        properties: { type: { const: type } },
        propertyNames: { pattern: '^[a-z0-9]+$' },
      });
    }
  });
});
