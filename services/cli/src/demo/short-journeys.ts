import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';

/** The example journeys of the repository (`journeys/`). */
export const EXAMPLES = path.resolve(import.meta.dirname, '..', '..', '..', '..', 'journeys');

/** The example templates of the repository (`templates/`), which the example journeys send. */
export const EXAMPLE_TEMPLATES = path.resolve(EXAMPLES, '..', 'templates');

type Node = Record<string, unknown>;

function shrinkWaits(state: Node, wait: string): void {
  const after = state.after as Node | undefined;
  if (after) state.after = Object.fromEntries(Object.values(after).map((target) => [wait, target]));
  for (const child of Object.values((state.states as Record<string, Node> | undefined) ?? {}))
    shrinkWaits(child, wait);
}

/**
 * The example journeys with every `after` shortened to `wait`, written to a fresh folder: the demo and the
 * tests play stories of days in seconds with the very files marketing would deploy.
 */
export async function shortJourneys(wait = 'PT2S', from = EXAMPLES): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tactful-journeys-'));
  for (const file of await fs.readdir(from)) {
    const journey = parse(await fs.readFile(path.join(from, file), 'utf8')) as Node;
    shrinkWaits(journey.machine as Node, wait);
    await fs.writeFile(path.join(dir, file), stringify(journey));
  }
  return dir;
}

export async function writePolicy(text: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tactful-policy-'));
  const file = path.join(dir, 'policy.yaml');
  await fs.writeFile(file, text);
  return file;
}
