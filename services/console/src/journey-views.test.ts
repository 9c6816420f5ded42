import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { templateField, versionStageField } from '@tactful/engine';
import { loadJourneys, type LoadedJourney } from '@tactful/journeys';
import { journeyViews, templateLine } from './journey-views';

const EXAMPLES = path.resolve(import.meta.dirname, '..', '..', '..', 'journeys');
const loaded = async (): Promise<LoadedJourney[]> => (await loadJourneys(EXAMPLES)).journeys;

const WP = 'whitepaper-nurture';
const counters = {
  [versionStageField(WP, 3, 'welcome')]: 2,
  [versionStageField(WP, 3, 'engaged')]: 1,
  [versionStageField(WP, 3, 'checkIn')]: 0,
  // version 2's file is gone; four of its customers still wait in its welcome
  [versionStageField(WP, 2, 'welcome')]: 4,
  [templateField('sent', 'wp-welcome')]: 4,
  [templateField('opened', 'wp-welcome')]: 1,
  [templateField('replied', 'wp-welcome')]: 1,
  'a counter of someone else': 9,
};

describe('the journey views of the console', () => {
  it('draws each loaded journey with the customers in each stage and what became of each template', async () => {
    const views = journeyViews(await loaded(), counters);
    const v3 = views.find((v) => v.journey === WP && v.version === 3);
    expect(v3).toMatchObject({ latest: true, customers: 3, name: 'White paper follow-up' });
    expect(v3?.file).toMatch(/whitepaper-nurture\.yaml$/);
    expect(v3?.stages.find((s) => s.stage === 'welcome')).toEqual({
      stage: 'welcome',
      customers: 2,
      final: false,
      sends: [
        {
          template: 'wp-welcome',
          sent: 4,
          opened: 1,
          clicked: 0,
          replied: 1,
          openRate: 0.25,
          clickRate: 0,
          replyRate: 0.25,
        },
      ],
    });
    expect(v3?.stages.find((s) => s.stage === 'done')).toMatchObject({
      customers: 0,
      final: true,
      sends: [],
    });
    // the numbers are written under each stage of the same diagram as `tactful journeys diagram`
    expect(v3?.mermaid).toMatch(/^stateDiagram-v2\n/);
    expect(v3?.mermaid).toContain(
      [
        '    welcome : ✉ send wp-welcome',
        '    welcome : 2 here now',
        '    welcome : wp-welcome: 4 sent · 1 opened (25%) · 0 clicked (0%) · 1 replied (25%)',
      ].join('\n'),
    );
    expect(v3?.mermaid).toContain('    engaged : 1 here now\n');
    expect(v3?.mermaid).toContain('wp-case-study: 0 sent · 0 opened (–) · 0 clicked (–) · 0 replied (–)');
    // a final stage holds nobody for long: no count under it
    expect(v3?.mermaid).not.toMatch(/done : \d+ here now/);
  });

  it('shows a version with customers whose file is gone, by its counts alone', async () => {
    const views = journeyViews(await loaded(), counters);
    expect(views.filter((v) => v.journey === WP).map((v) => v.version)).toEqual([3, 2]);
    expect(views.find((v) => v.journey === WP && v.version === 2)).toEqual({
      journey: WP,
      version: 2,
      name: null,
      latest: false,
      file: null,
      customers: 4,
      mermaid: null,
      stages: [{ stage: 'welcome', customers: 4, final: false, sends: [] }],
    });
  });

  it('shows every journey loaded, sorted, with zeros before anyone entered', async () => {
    const journeys = await loaded();
    const views = journeyViews(journeys, {});
    expect(views.map((v) => v.journey)).toEqual([...new Set(journeys.map((j) => j.journey.id))].sort());
    for (const view of views) {
      expect(view.customers).toBe(0);
      expect(view.mermaid).toContain(' here now');
      for (const send of view.stages.flatMap((s) => s.sends))
        expect(send).toMatchObject({ sent: 0, openRate: null, clickRate: null, replyRate: null });
    }
  });

  it('hides an older version that nobody is in, and shows it while somebody is', async () => {
    const [wp] = (await loaded()).filter((j) => j.journey.id === WP);
    const v2 = { ...wp!, journey: { ...wp!.journey, version: 2 } };
    expect(journeyViews([wp!, v2], {}).map((v) => v.version)).toEqual([3]);
    const both = journeyViews([wp!, v2], { [versionStageField(WP, 2, 'checkIn')]: 1 });
    expect(both.map((v) => [v.version, v.latest, v.customers, v.mermaid === null])).toEqual([
      [3, true, 0, false],
      [2, false, 1, false],
    ]);
  });

  it('writes a template line with a dash for a rate of nothing sent', () => {
    expect(
      templateLine({
        template: 't',
        sent: 0,
        opened: 0,
        clicked: 0,
        replied: 0,
        openRate: null,
        clickRate: null,
        replyRate: null,
      }),
    ).toBe('t: 0 sent · 0 opened (–) · 0 clicked (–) · 0 replied (–)');
  });
});
