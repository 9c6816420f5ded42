import { readdir, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { authoringSchemaFiles } from './authoring-schemas';

// schemas/journey.json, policy.json and timeline.json are generated from the zod schemas and committed
// for editors; this test fails when they drift apart. Fix: npm run schemas
const ROOT = resolve(import.meta.dirname, '../../..');
const files = authoringSchemaFiles();

function validator(path: string) {
  const file = files.find((f) => f.path === path)!;
  const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
  return ajv.compile(JSON.parse(file.content) as object);
}

async function yamlFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.yaml')).map((name) => resolve(dir, name));
}

const read = async (file: string): Promise<unknown> => parse(await readFile(file, 'utf8')) as unknown;

describe('the committed authoring schemas', () => {
  it.each(files.map((file) => [file.path, file.content] as const))(
    'schemas/%s is up to date',
    async (path, content) => {
      const committed = await readFile(resolve(ROOT, 'schemas', path), 'utf8');
      expect(committed, `schemas/${path} is stale: run npm run schemas`).toBe(content);
    },
  );

  it('accepts every example journey and the good fixtures, and refuses the mistakes a schema can see', async () => {
    const validate = validator('journey.json');
    const good = [
      ...(await yamlFiles(resolve(ROOT, 'journeys'))),
      resolve(ROOT, 'packages/journeys/src/__fixtures__/good/nested-states.yaml'),
    ];
    for (const file of good)
      expect(validate(await read(file)), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
    // the mistakes a schema can see; the graph checks (unreachable states, repeats) are the loader's
    const bad = [
      'unknown-action.yaml',
      'unknown-guard.yaml',
      'unknown-delay.yaml',
      'unknown-event-in-on.yaml',
      'timer-fired-in-on.yaml',
      'unknown-trigger-event.yaml',
      'unknown-halt-event.yaml',
    ];
    for (const name of bad) {
      const file = resolve(ROOT, 'packages/journeys/src/__fixtures__/bad', name);
      expect(validate(await read(file)), name).toBe(false);
    }
    expect(
      validate({
        id: 'x',
        version: 1,
        name: 'x',
        trigger: { event: 'page.viewed' },
        reentry: 'P1M',
        haltOn: [],
        machine: { initial: 'a', states: { a: { type: 'final' } } },
      }),
    ).toBe(false);
    expect(
      validate({
        id: 'x',
        version: 1,
        name: 'x',
        trigger: { event: 'page.viewed' },
        reentry: 'P90D',
        haltOn: [],
        machine: { initial: 'a', states: { a: { type: 'final' } } },
      }),
    ).toBe(true);
  });

  it('accepts the example policy and refuses a misspelt limit', async () => {
    const validate = validator('policy.json');
    expect(validate(await read(resolve(ROOT, 'policy.yaml')))).toBe(true);
    expect(validate({ frequency: { maxPerDy: 1 } })).toBe(false);
    expect(validate({ frequency: { minGap: 'P1M' } })).toBe(false);
    expect(validate({ quietHours: { start: '9pm' } })).toBe(false);
  });

  it('accepts every example timeline and refuses an unknown event type', async () => {
    const validate = validator('timeline.json');
    for (const file of await yamlFiles(resolve(ROOT, 'docs/timelines')))
      expect(validate(await read(file)), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
    expect(validate({ events: [{ at: 'P0D', type: 'timer.fired' }] })).toBe(false);
    expect(validate({ events: [{ at: 'tomorrow', type: 'page.viewed' }] })).toBe(false);
  });
});
