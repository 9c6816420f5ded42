import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatProblem } from './problem';
import type { Problem } from './problem';
import { loadJourneys, validateJourneyFile } from './load-journeys';

// Version 3 of the contract's example: the check-in becomes a follow-up, and the customers of version 2
// in flight are moved (welcome to welcome, checkIn to followUp).
let v2: string;
let v3: string;
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tactful-migrate-'));
  const example = await readFile(
    fileURLToPath(new URL('./__fixtures__/whitepaper-nurture.yaml', import.meta.url)),
    'utf8',
  );
  v2 = example.replace(/^version: 3 /m, 'version: 2 ');
  v3 = example
    .replace(
      'checkIn:\n      entry: { type: send, params: { template: wp-checkin } }',
      'followUp:\n      entry: { type: send, params: { template: wp-followup } }',
    )
    .replace('after: { P3D: checkIn }', 'after: { P3D: followUp }')
    .replace(/^machine:/m, 'migrate: { from: 2, states: { welcome: welcome, checkIn: followUp } }\nmachine:');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function load(files: Record<string, string>) {
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  const result = await loadJourneys(dir);
  const relative = (p: Problem) => formatProblem({ ...p, file: p.file.slice(dir.length + 1) });
  return {
    loaded: result.journeys.map(({ journey }) => journey.version),
    problems: result.problems.map(relative),
    warnings: result.warnings.map(relative),
  };
}

describe('migrate, checked when the folder is loaded', () => {
  it("loads a migrate whose stages are the older version's and its own, listing the stages it leaves behind", async () => {
    expect(await load({ 'v2.yaml': v2, 'v3.yaml': v3 })).toEqual({
      loaded: [2, 3],
      problems: [],
      warnings: [
        'v3.yaml: migrate: the stages of version 2 with no mapping: engaged; customers in them stay on version 2 (keep ' +
          `${join(dir, 'v2.yaml')} loaded while they are there)`,
      ],
    });
  });

  it('refuses a stage the older version does not have, or one that ends it, with the file and the stage', async () => {
    const typo = v3.replace('checkIn: followUp }', 'chekIn: followUp, done: welcome }');
    expect(await load({ 'v2.yaml': v2, 'v3.yaml': typo })).toEqual({
      loaded: [2],
      problems: [
        'v3.yaml: state chekIn: migrate.states: version 2 has no stage "chekIn"; the stages its customers can be in: welcome, engaged, checkIn',
        'v3.yaml: state done: migrate.states: "done" ends version 2, so no customer stays in it; the stages its customers can be in: welcome, engaged, checkIn',
      ],
      warnings: [expect.stringContaining('with no mapping: engaged, checkIn')],
    });
  });

  it('warns, and loads, when the older version is not there to check against', async () => {
    expect(await load({ 'v3.yaml': v3 })).toEqual({
      loaded: [3],
      problems: [],
      warnings: [
        'v3.yaml: migrate: version 2 of "whitepaper-nurture" is not loaded, so the stages welcome, checkIn cannot be checked against it; its customers in a stage not named stay on version 2, which is not stepped without its file (tactful journeys status lists them)',
      ],
    });
  });

  it('warns when a higher version takes the same customers', async () => {
    const v4 = v3.replace(/^version: 3 /m, 'version: 4 ');
    const { loaded, warnings } = await load({ 'v2.yaml': v2, 'v3.yaml': v3, 'v4.yaml': v4 });
    expect(loaded).toEqual([2, 3, 4]);
    expect(warnings).toContain(
      `v3.yaml: migrate: version 4 (${join(dir, 'v4.yaml')}) also takes the customers of version 2, and the highest version does, so this migrate is not used`,
    );
  });
});

describe('migrate, checked in the file alone', () => {
  it('refuses a version that is not older and a stage this version does not have', async () => {
    const file = join(dir, 'v3.yaml');
    await writeFile(
      file,
      v3.replace('from: 2', 'from: 3').replace('checkIn: followUp', 'checkIn: folowUp, engaged: engaged.x'),
    );
    const { ok, problems } = await validateJourneyFile(file);
    expect(ok).toBe(false);
    expect(problems.map((p) => formatProblem({ ...p, file: 'v3.yaml' }))).toEqual([
      'v3.yaml: migrate.from: version 3 can only take customers of an older version, not of version 3',
      'v3.yaml: state checkIn: migrate.states: moves to "folowUp", which is no stage of version 3; its stages: welcome, engaged, followUp, done',
      'v3.yaml: state engaged: migrate.states: moves to "engaged.x", which is no stage of version 3; its stages: welcome, engaged, followUp, done',
    ]);
  });

  it('refuses an empty mapping and a stage that is not a path', async () => {
    const file = join(dir, 'v3.yaml');
    await writeFile(file, v3.replace('{ welcome: welcome, checkIn: followUp }', '{}'));
    expect((await validateJourneyFile(file)).problems.map((p) => p.reason)).toEqual([
      'migrate.states: name at least one stage of the older version and the stage of this one it moves to',
    ]);
    await writeFile(file, v3.replace('checkIn: followUp', '"check in": followUp'));
    expect((await validateJourneyFile(file)).problems.map((p) => p.reason)).toEqual([
      'migrate.states["check in"]: a stage is a state path: state names joined by "." (welcome, onboarding.tips)',
    ]);
  });
});
