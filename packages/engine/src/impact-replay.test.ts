import { describe, expect, it } from 'vitest';
import { tallyDecisions } from './decision-tally';
import { createImpactReplay } from './impact-replay';
import { DAY, DEFAULT_POLICY, HOUR, T0, WHITEPAPER_FORM, catalogOf, makeEvent, whitepaper } from './test-kit';

const newsletter = `
id: news
version: 1
name: News
trigger: { event: form.submitted, where: { formId: news } }
reentry: never
haltOn: []
machine:
  initial: issue
  states:
    issue:
      entry: { type: send, params: { template: news-1 } }
      after: { P30D: done }
    done: { type: final }
`;

describe('createImpactReplay', () => {
  const ctx = { catalog: catalogOf(whitepaper(), newsletter), policy: DEFAULT_POLICY };
  const t = T0.getTime();
  const ev = (id: string, subject: string, type: Parameters<typeof makeEvent>[0], data: object, at: number) =>
    makeEvent(type, { ...data }, { id, subject, time: new Date(at) });

  it('replays each person on their own clock, fires their waits, and counts only the journey tried', () => {
    const replay = createImpactReplay(ctx, 'whitepaper-nurture');
    replay.apply(ev('a1', 'ann', 'form.submitted', WHITEPAPER_FORM, t), t);
    // Ben has had the newsletter an hour before: the day's one message is spent, the welcome waits
    replay.apply(ev('b1', 'ben', 'form.submitted', { formId: 'news', email: 'b@example.com' }, t), t);
    replay.apply(
      ev('b2', 'ben', 'form.submitted', { ...WHITEPAPER_FORM, email: 'b@example.com' }, t + HOUR),
      t + HOUR,
    );
    // the services' own work in the history is left to the replay
    replay.apply(
      ev('s1', 'ann', 'email.sent', { commandId: 'cmd-x', template: 'wp-welcome', messageId: 'm' }, t),
      t,
    );
    replay.apply(ev('c1', 'cid', 'email.replied', {}, t + 2 * HOUR), t + 2 * HOUR);
    const summary = replay.finish(t + 4 * DAY);
    expect(summary).toMatchObject({ events: 4, skipped: 1, people: 3, inJourney: 2 });
    expect(summary.tally.sent).toEqual({
      'wp-checkin': { decisions: 2, people: 2 },
      'wp-welcome': { decisions: 2, people: 2 },
    });
    expect(summary.tally.deferred).toEqual({ max_per_day: { decisions: 1, people: 1 } });
    expect(summary.tally.entered).toEqual({ decisions: 2, people: 2 });
  });

  it('applies an event id once, as the orchestrator does', () => {
    const replay = createImpactReplay(ctx, 'whitepaper-nurture');
    replay.apply(ev('a1', 'ann', 'form.submitted', WHITEPAPER_FORM, t), t);
    replay.apply(ev('a1', 'ann', 'form.submitted', WHITEPAPER_FORM, t), t);
    expect(replay.finish(t).tally.notEntered).toEqual({});
  });
});

describe('tallyDecisions', () => {
  it('separates refused entries from dropped sends, and keeps one reason per kind', () => {
    const base = { at: '2026-11-23T10:00:00.000Z', journey: 'j' };
    const tally = tallyDecisions(
      [
        {
          ...base,
          customerId: 'a',
          decision: 'suppressed',
          code: 'opted_out',
          reason: 'not entered: opted out',
        },
        {
          ...base,
          customerId: 'b',
          decision: 'suppressed',
          template: 't',
          code: 'opted_out',
          reason: 'opted out',
        },
        {
          ...base,
          customerId: 'b',
          decision: 'suppressed',
          template: 't2',
          code: 'opted_out',
          reason: 'later',
        },
        { ...base, customerId: 'c', decision: 'halted', code: 'halt_on', reason: 'replied' },
        { ...base, journey: 'other', customerId: 'd', decision: 'halted', code: 'halt_on', reason: 'x' },
      ],
      'j',
    );
    expect(tally.notEntered).toEqual({ opted_out: { decisions: 1, people: 1 } });
    expect(tally.suppressed).toEqual({ opted_out: { decisions: 2, people: 1 } });
    expect(tally.halted).toEqual({ halt_on: { decisions: 1, people: 1 } });
    expect(tally.reasons).toEqual({
      'halted:halt_on': 'replied',
      'notEntered:opted_out': 'not entered: opted out',
      'suppressed:opted_out': 'opted out',
    });
  });
});
