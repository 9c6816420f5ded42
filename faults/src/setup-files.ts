import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EXAMPLES, shortJourneys, writePolicy } from '../../services/cli/src/demo/short-journeys';

// The files a scenario's `tactful run` reads: the two-stage journey of the stories (the white paper:
// a welcome at once, a check-in after a wait) with its waits shortened, the repository's templates, and a
// contact policy roomy enough that every send of the journey goes out at once.

export const TEMPLATES = path.resolve(import.meta.dirname, '..', '..', 'templates');

/** The journey's templates in stage order, as a person who never reacts receives them. */
export const JOURNEY_TEMPLATES = ['wp-welcome', 'wp-checkin'] as const;

const POLICY = `frequency: { maxPerDay: 50, maxPerWeek: 100, minGap: PT0S }
quietHours: { start: "00:00", end: "00:00", defaultTimezone: UTC }
blastGuard: { maxPerHour: 40 }
`;

/** A folder holding only `whitepaper-nurture.yaml`, every wait shortened to `wait` (ISO 8601). */
export async function twoStageJourney(wait: string): Promise<string> {
  const only = await fs.mkdtemp(path.join(os.tmpdir(), 'tactful-faults-journey-'));
  await fs.copyFile(
    path.join(EXAMPLES, 'whitepaper-nurture.yaml'),
    path.join(only, 'whitepaper-nurture.yaml'),
  );
  const dir = await shortJourneys(wait, only);
  await fs.rm(only, { recursive: true, force: true });
  return dir;
}

export function roomyPolicy(): Promise<string> {
  return writePolicy(POLICY);
}

/** Removes what `twoStageJourney` and `roomyPolicy` wrote (the policy file's folder with it). */
export async function removeFiles(journeys: string, policy: string): Promise<void> {
  await fs.rm(journeys, { recursive: true, force: true });
  await fs.rm(path.dirname(policy), { recursive: true, force: true });
}
