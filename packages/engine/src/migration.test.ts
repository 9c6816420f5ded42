import type { EventType } from '@tactful/events';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tallyField, tallyStep } from './journey-tally';
import { migrationTarget } from './migration';
import type { Effect } from './effect';
import {
  DAY,
  T0,
  Timeline,
  WHITEPAPER_FORM,
  auditsOf,
  cancelsOf,
  catalogOf,
  schedulesOf,
  templatesOfSends,
} from './test-kit';
import { versionStageField } from './version-tally';

const ID = 'whitepaper-nurture';

function version(n: number, extra = '', states?: string): string {
  return `
id: ${ID}
version: ${n}
name: White paper follow-up
trigger: { event: form.submitted, where: { formId: whitepaper-2026 } }
reentry: never
haltOn: [email.replied]
${extra}
machine:
  initial: welcome
  states:
${
  states ??
  `    welcome:
      entry: { type: send, params: { template: wp-welcome } }
      on: { email.opened: engaged }
      after: { P3D: checkIn }
    engaged:
      entry: { type: send, params: { template: wp-case-study } }
      after: { P5D: done }
    checkIn:
      entry: { type: send, params: { template: wp-checkin } }
      after: { P5D: done }
    done: { type: final }`
}
`;
}

// Version 3 replaces the check-in by a follow-up of its own; its welcome waits as long as version 2's.
const V2 = version(2);
const V3 = version(
  3,
  'migrate: { from: 2, states: { welcome: welcome, checkIn: followUp } }',
  `    welcome:
      entry: { type: send, params: { template: wp-welcome } }
      on: { email.opened: engaged }
      after: { P3D: followUp }
    engaged:
      entry: { type: send, params: { template: wp-case-study } }
      after: { P5D: done }
    followUp:
      entry: { type: send, params: { template: wp-followup } }
      after: { P4D: done }
    done: { type: final }`,
);

/** A customer who entered version 2 at T0, then `afterMs` later version 3 is deployed beside it. */
function onV2(afterMs = 0, catalog = catalogOf(V2, V3)): Timeline {
  const timeline = new Timeline(catalogOf(V2));
  timeline.apply('form.submitted', WHITEPAPER_FORM);
  timeline.advance(afterMs);
  timeline.ctx = { ...timeline.ctx, catalog };
  return timeline;
}

const migrated = (effects: readonly Effect[]) => auditsOf(effects).filter((a) => a.code === 'migrated');

describe('a customer of an older version that a newer one takes (migrate)', () => {
  it('moves at their next event, audited, the old wait cancelled and the new one counting from when they began waiting', () => {
    const ann = onV2(DAY);
    const oldWait = [...ann.timers.values()][0]!;
    ann.advance(DAY);
    const step = ann.apply('page.viewed', { url: 'https://example.com/' });

    expect(migrated(step.effects)).toEqual([
      expect.objectContaining({
        decision: 'entered',
        journey: ID,
        journeyVersion: 3,
        stage: 'welcome',
        reason: `moved from version 2 (stage welcome) to version 3 (stage welcome), as the migrate of version 3 says; its waits count from ${T0.toISOString()}`,
      }),
    ]);
    expect(cancelsOf(step.effects)).toEqual([oldWait.id]);
    // the welcome of version 3 is the template already sent: suppressed, never twice
    expect(templatesOfSends(step.effects)).toEqual([]);
    expect(auditsOf(step.effects).map((a) => [a.decision, a.code])).toEqual([
      ['entered', 'migrated'],
      ['suppressed', 'template_already_sent'],
    ]);
    const [newWait] = schedulesOf(step.effects);
    expect(newWait).toMatchObject({ journeyVersion: 3, dueAt: T0.getTime() + 3 * DAY });
    expect(ann.state.active[ID]).toMatchObject({ version: 3, stage: 'welcome', entry: 1 });

    expect(templatesOfSends(ann.advance(DAY))).toEqual(['wp-followup']);
    expect(templatesOfSends(ann.effects)).toEqual(['wp-welcome', 'wp-followup']);
  });

  it('an idle customer moves when their old wait fires, and goes on at once: the wait is not served twice', () => {
    const ann = onV2(DAY);
    const fired = ann.advance(2 * DAY);
    expect(migrated(fired)).toHaveLength(1);
    // the new welcome wait was due when the old one fired: it fires right after, with the same clock
    expect(ann.now.getTime()).toBe(T0.getTime() + 3 * DAY);
    expect(templatesOfSends(fired)).toEqual(['wp-followup']);
    expect(ann.state.active[ID]).toMatchObject({ version: 3, stage: 'followUp' });
    expect(templatesOfSends(ann.advance(4 * DAY))).toEqual([]);
    expect(ann.state.history[ID]).toMatchObject({ version: 3, outcome: 'completed' });
    expect(templatesOfSends(ann.effects)).not.toContain('wp-checkin');
  });

  it('moves to a stage whose template is new and sends it, its waits counted from entering the old stage', () => {
    const ann = onV2(4 * DAY); // in checkIn since T0 + 3 days, wp-checkin sent
    const step = ann.apply('page.viewed', { url: 'https://example.com/' });
    expect(migrated(step.effects)[0]).toMatchObject({ stage: 'followUp', journeyVersion: 3 });
    expect(templatesOfSends(step.effects)).toEqual(['wp-followup']);
    expect(schedulesOf(step.effects)).toEqual([
      expect.objectContaining({ dueAt: T0.getTime() + 3 * DAY + 4 * DAY }),
    ]);
  });

  it('leaves a customer in a stage the migrate does not name on the old version', () => {
    const ann = new Timeline(catalogOf(V2));
    ann.apply('form.submitted', WHITEPAPER_FORM);
    ann.apply('email.opened', {});
    ann.ctx = { ...ann.ctx, catalog: catalogOf(V2, V3) };
    const step = ann.apply('page.viewed', { url: 'https://example.com/' });
    expect(step.effects).toEqual([]);
    ann.advance(6 * DAY);
    expect(ann.state.history[ID]).toMatchObject({ version: 2, outcome: 'completed' });
    expect(migrated(ann.effects)).toEqual([]);
  });

  it('applies the event on the new version after the move', () => {
    const ann = onV2(DAY);
    const step = ann.apply('email.opened', {});
    expect(templatesOfSends(step.effects)).toEqual(['wp-case-study']);
    expect(ann.state.active[ID]).toMatchObject({ version: 3, stage: 'engaged' });
    // the welcome wait started by the move is cancelled by the move to engaged in the same step
    const welcomeWait = schedulesOf(step.effects)[0]!;
    expect(cancelsOf(step.effects)).toContain(welcomeWait.id);
    expect([...ann.timers.values()].map((t) => t.payload)).toEqual([
      expect.objectContaining({ stage: 'engaged', delay: 'P5D' }),
    ]);
  });

  it('halts on the new version before anything of the new stage is sent', () => {
    const ann = onV2(4 * DAY);
    const step = ann.apply('email.replied', { text: 'no thanks' });
    expect(auditsOf(step.effects).map((a) => [a.decision, a.code])).toEqual([
      ['entered', 'migrated'],
      ['halted', 'halt_on'],
    ]);
    expect(templatesOfSends(step.effects)).toEqual([]);
    expect(schedulesOf(step.effects)).toEqual([]);
    expect(ann.state.history[ID]).toMatchObject({ version: 3, outcome: 'halted' });
  });

  it('moves customers of a version whose file is gone', () => {
    const ann = onV2(DAY, catalogOf(V3));
    const step = ann.apply('page.viewed', { url: 'https://example.com/' });
    expect(migrated(step.effects)).toHaveLength(1);
    expect(schedulesOf(step.effects)[0]).toMatchObject({ dueAt: T0.getTime() + 3 * DAY });
  });

  it('follows migrates in turn, from version 1 to 2 to 3', () => {
    const v1 = version(1);
    const v2 = version(2, 'migrate: { from: 1, states: { welcome: welcome, checkIn: checkIn } }');
    const ann = new Timeline(catalogOf(v1));
    ann.apply('form.submitted', WHITEPAPER_FORM);
    ann.ctx = { ...ann.ctx, catalog: catalogOf(v1, v2, V3) };
    expect(migrationTarget(ann.ctx.catalog, ID, 1, 'welcome')).toMatchObject({ versions: [1, 2, 3] });
    const step = ann.apply('page.viewed', { url: 'https://example.com/' });
    expect(migrated(step.effects)[0]?.reason).toMatch(
      /^moved from version 1 \(stage welcome\) to version 3 \(stage welcome\) by way of version 2,/,
    );
    expect(migrationTarget(ann.ctx.catalog, ID, 1, 'engaged')).toBeUndefined();
  });

  it('counts the move in the stage counts and not as an entry', () => {
    const ann = onV2(DAY);
    const before = ann.state;
    const step = ann.apply('page.viewed', { url: 'https://example.com/' });
    expect(tallyStep(before, step.state, auditsOf(step.effects))).toEqual({
      [versionStageField(ID, 2, 'welcome')]: -1,
      [versionStageField(ID, 3, 'welcome')]: 1,
    });
    expect(tallyStep(before, step.state, auditsOf(step.effects))).not.toHaveProperty(
      tallyField('entered', ID),
    );
  });
});

describe('for every life, with version 3 deployed at any moment', () => {
  const moves = fc.array(
    fc.oneof(
      fc.constantFrom<[EventType, Record<string, unknown>]>(
        ['form.submitted', WHITEPAPER_FORM],
        ['email.opened', {}],
        ['email.clicked', {}],
        ['page.viewed', { url: 'https://example.com/' }],
      ),
      fc.integer({ min: 1, max: 4 * DAY }),
    ),
    { maxLength: 12 },
  );

  // compiled once: the property plays hundreds of lives
  const [only2, both] = [catalogOf(V2), catalogOf(V2, V3)];

  it('no template twice, a move only from a stage named, and the waits the state names are the ones pending', () => {
    fc.assert(
      fc.property(moves, moves, (before, after) => {
        const ann = new Timeline(only2);
        const play = (life: typeof before) => {
          for (const move of life)
            if (typeof move === 'number') ann.advance(move);
            else ann.apply(move[0], move[1]);
        };
        play(before);
        const stage = ann.state.active[ID]?.stage;
        ann.ctx = { ...ann.ctx, catalog: both };
        const deployedAt = ann.effects.length;
        play(after);

        const sent = templatesOfSends(ann.effects);
        expect(new Set(sent).size).toBe(sent.length);
        const moved = migrated(ann.effects.slice(deployedAt));
        expect(moved.length).toBeLessThanOrEqual(1);
        if (moved.length === 1) expect(['welcome', 'checkIn']).toContain(stage);
        const named = Object.values(ann.state.active[ID]?.timers ?? {}).sort();
        expect(
          [...ann.timers.values()]
            .filter((t) => t.payload.kind === 'after')
            .map((t) => t.id)
            .sort(),
        ).toEqual(named);
      }),
    );
  });
});
