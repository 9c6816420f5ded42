import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TactfulError } from '@tactful/events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadJourneys, requireJourneys, validateJourneyFile, validateJourneys } from './load-journeys';

const fixture = (name: string): string => fileURLToPath(new URL(`./__fixtures__/${name}`, import.meta.url));

let dir: string;
let example: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tactful-journeys-'));
  example = await readFile(fixture('whitepaper-nurture.yaml'), 'utf8');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const withVersion = (version: number) => example.replace(/^version: 3 /m, `version: ${version} `);

describe('loadJourneys', () => {
  it('loads *.yaml, *.yml and *.json, keeps several versions of one id, and ignores other files', async () => {
    await writeFile(join(dir, 'nurture-v3.yaml'), example);
    await writeFile(join(dir, 'nurture-v4.yml'), withVersion(4));
    await writeFile(
      join(dir, 'browse.json'),
      await readFile(fixture('good/cycle-without-send.json'), 'utf8'),
    );
    await writeFile(join(dir, 'README.md'), '# not a journey');
    await mkdir(join(dir, 'drafts'));
    await writeFile(join(dir, 'drafts', 'draft.yaml'), 'not: [a journey');

    const { files, journeys, problems } = await loadJourneys(dir);

    expect(problems).toEqual([]);
    expect(files).toEqual(
      ['browse.json', 'nurture-v3.yaml', 'nurture-v4.yml'].map((name) => join(dir, name)),
    );
    expect(journeys.map(({ journey }) => `${journey.id}@${journey.version}`)).toEqual([
      'browse-abandon@2',
      'whitepaper-nurture@3',
      'whitepaper-nurture@4',
    ]);
    expect(journeys[1]?.machine.id).toBe('whitepaper-nurture');
  });

  it('refuses the same id and version in two files, naming each file', async () => {
    await writeFile(join(dir, 'a.yaml'), example);
    await writeFile(join(dir, 'b.yaml'), example);
    await writeFile(join(dir, 'c.yaml'), withVersion(4));

    const { journeys, problems } = await loadJourneys(dir);

    expect(journeys.map(({ journey }) => journey.version)).toEqual([4]);
    expect(problems).toEqual([
      {
        file: join(dir, 'a.yaml'),
        reason: expect.stringMatching(/^journey "whitepaper-nurture" version 3 is also defined in b\.yaml; /),
      },
      {
        file: join(dir, 'b.yaml'),
        reason: expect.stringMatching(/^journey "whitepaper-nurture" version 3 is also defined in a\.yaml; /),
      },
    ]);
  });

  it('lists the problems of bad files and still loads the good ones', async () => {
    await writeFile(join(dir, 'good.yaml'), example);
    await writeFile(join(dir, 'broken.yaml'), 'id: [unclosed');
    await writeFile(join(dir, 'broken.json'), '{ "id": ');

    const { journeys, problems } = await loadJourneys(dir);

    expect(journeys).toHaveLength(1);
    expect(problems).toEqual([
      { file: join(dir, 'broken.json'), reason: expect.stringMatching(/^not valid JSON: /) },
      { file: join(dir, 'broken.yaml'), reason: expect.stringMatching(/^not valid YAML: /) },
    ]);
  });

  it('reports a missing folder as a problem', async () => {
    const missing = join(dir, 'nowhere');
    expect(await loadJourneys(missing)).toEqual({
      files: [],
      journeys: [],
      problems: [
        { file: missing, reason: expect.stringMatching(/^cannot read the journeys folder: .*ENOENT/) },
      ],
      warnings: [],
    });
  });
});

describe('validateJourneys', () => {
  it('lists every problem of every file, not just the first', async () => {
    const result = await validateJourneys(fixture('bad'));
    expect(result.ok).toBe(false);
    expect(result.files).toHaveLength(14);
    expect(new Set(result.problems.map((problem) => problem.file))).toEqual(new Set(result.files));
  });

  it('accepts a good folder', async () => {
    expect(await validateJourneys(fixture('good'))).toMatchObject({ ok: true, problems: [] });
  });

  it('checks one file', async () => {
    expect(await validateJourneyFile(fixture('whitepaper-nurture.yaml'))).toEqual({
      ok: true,
      files: [fixture('whitepaper-nurture.yaml')],
      problems: [],
      warnings: [],
    });
    const missing = join(dir, 'missing.yaml');
    expect(await validateJourneyFile(missing)).toEqual({
      ok: false,
      files: [missing],
      problems: [{ file: missing, reason: expect.stringMatching(/^cannot read the file: .*ENOENT/) }],
      warnings: [],
    });
  });
});

describe('requireJourneys', () => {
  it('throws journey.invalid with every problem, one per line', async () => {
    const result = await loadJourneys(fixture('bad'));
    expect(() => requireJourneys(result)).toThrow(TactfulError);
    try {
      requireJourneys(result);
    } catch (error) {
      expect(error).toMatchObject({ code: 'journey.invalid', retriable: false });
      expect((error as Error).message.split('\n')).toHaveLength(1 + result.problems.length);
    }
  });

  it('returns the journeys when there is no problem', async () => {
    expect(requireJourneys(await loadJourneys(fixture('good')))).toHaveLength(3);
  });
});
