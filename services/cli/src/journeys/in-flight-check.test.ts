import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { versionStageField } from '@tactful/engine';
import { loadJourneys, type LoadedJourney } from '@tactful/journeys';
import { orphanWarnings } from './in-flight-check';

const ROOT = path.resolve(import.meta.dirname, '../../../..');
const V3 = path.join(ROOT, 'journeys/whitepaper-nurture.yaml');
// version 4 takes version 3's customers in welcome and checkIn, not those in engaged
const V4 = path.join(ROOT, 'docs/drafts/whitepaper-nurture-v4.yaml');
const WP = 'whitepaper-nurture';

async function load(...files: string[]): Promise<LoadedJourney[]> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tactful-in-flight-'));
  for (const file of files) await fs.copyFile(file, path.join(dir, path.basename(file)));
  const loaded = await loadJourneys(dir);
  await fs.rm(dir, { recursive: true });
  expect(loaded.problems).toEqual([]);
  return loaded.journeys;
}

describe("validate's warning about customers in flight on a version with no file", () => {
  it('says how many a migrate moves and how many are stranded', async () => {
    const warnings = orphanWarnings(
      {
        [versionStageField(WP, 3, 'welcome')]: 5,
        [versionStageField(WP, 3, 'engaged')]: 2,
        [versionStageField(WP, 3, 'checkIn')]: 0,
        [versionStageField(WP, 4, 'welcome')]: 9,
      },
      await load(V4),
      'journeys',
    );
    expect(warnings).toEqual([
      {
        file: 'journeys',
        reason:
          'whitepaper-nurture v3 has 7 customer(s) in flight (journey counts in Redis) and no file here: 2 of ' +
          'them are not stepped until its file is back or a migrate takes them (a migrate moves 5); ' +
          'tactful journeys status counts them from the records',
      },
    ]);
  });

  it('says a migrate moves them all when it names every stage they are in', async () => {
    const [warning] = orphanWarnings(
      { [versionStageField(WP, 3, 'checkIn')]: 1 },
      await load(V4),
      'journeys',
    );
    expect(warning?.reason).toMatch(
      /v3 has 1 customer\(s\) .*: a migrate moves them all at their next event or timer;/,
    );
  });

  it('is quiet while the file of every version with customers is there, and about versions with nobody', async () => {
    const counters = { [versionStageField(WP, 3, 'engaged')]: 2, [versionStageField(WP, 2, 'welcome')]: 0 };
    expect(orphanWarnings(counters, await load(V3, V4), 'journeys')).toEqual([]);
  });
});
