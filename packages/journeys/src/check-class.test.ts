import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadJourneys } from './load-journeys';
import { parseJourney } from './parse-journey';

const journey = (id: string, extra: string, template: string, params = ''): string =>
  `id: ${id}\nversion: 1\nname: ${id}\ntrigger: { event: form.submitted }\nreentry: never\nhaltOn: []\n${extra}` +
  `machine:\n  initial: a\n  states:\n    a: { entry: { type: send, params: { template: ${template}${params} } }, after: { P1D: b } }\n    b: { type: final }\n`;

describe('journey class and topic', () => {
  it('default to marketing without a topic; a journey and a send may name one', () => {
    const plain = parseJourney(journey('p', '', 'p-1'), 'p.yaml');
    expect(plain.problems).toEqual([]);
    expect(plain.journey?.class).toBe('marketing');
    expect(plain.journey?.topic).toBeUndefined();
    const topical = parseJourney(journey('t', 'topic: " Newsletter "\n', 't-1', ', topic: offers'), 't.yaml');
    expect(topical.problems).toEqual([]);
    expect(topical.journey?.topic).toBe('Newsletter');
    expect(topical.journey?.machine.states.a?.entry?.[0]?.params.topic).toBe('offers');
  });

  it('refuse a topic on a transactional journey or on one of its sends', () => {
    const parsed = parseJourney(
      journey('q', 'class: transactional\ntopic: answers\n', 'q-1', ', topic: answers'),
      'q.yaml',
    );
    expect(parsed.problems.map(({ statePath, reason }) => ({ statePath, reason }))).toEqual([
      {
        statePath: undefined,
        reason: 'topic: a transactional journey answers what the person asked and has no subscription topic',
      },
      {
        statePath: 'a',
        reason:
          'entry[0].params.topic: a transactional journey answers what the person asked and has no subscription topic',
      },
    ]);
  });

  it('refuse an unknown class', () => {
    const parsed = parseJourney(journey('x', 'class: urgent\n', 'x-1'), 'x.yaml');
    expect(parsed.problems.map((p) => p.reason)).toEqual([
      expect.stringMatching(/^class: .*"marketing"\|"transactional"/),
    ]);
  });
});

describe('a template in both classes', () => {
  it('is a problem of every file that sends it, and those files are not loaded', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tactful-classes-'));
    try {
      await writeFile(join(dir, 'answers.yaml'), journey('answers', 'class: transactional\n', 'shared'));
      await writeFile(join(dir, 'offers.yaml'), journey('offers', '', 'shared'));
      await writeFile(join(dir, 'other.yaml'), journey('other', '', 'other-1'));
      const loaded = await loadJourneys(dir);
      expect(loaded.journeys.map(({ journey }) => journey.id)).toEqual(['other']);
      expect(loaded.problems).toEqual([
        {
          file: join(dir, 'answers.yaml'),
          reason: expect.stringMatching(
            /^template "shared" is sent by this transactional journey and by the marketing offers v1 \(offers\.yaml\); a template belongs to one class/,
          ),
        },
        {
          file: join(dir, 'offers.yaml'),
          reason: expect.stringMatching(
            /^template "shared" is sent by this marketing journey and by the transactional answers v1 \(answers\.yaml\)/,
          ),
        },
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
