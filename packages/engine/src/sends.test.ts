import { parsePolicyOrThrow } from '@tactful/policy';
import { describe, expect, it } from 'vitest';
import type { HaltMark } from '@tactful/events';
import {
  DAY,
  DEFAULT_POLICY,
  HOUR,
  T0,
  Timeline,
  WHITEPAPER_FORM,
  auditsOf,
  catalogOf,
  schedulesOf,
  sendsOf,
  templatesOfSends,
  whitepaper,
} from './test-kit';

/** A journey entered on any page view that sends `template` at once and then waits a day. */
const onView = (id: string, template: string): string => `
id: ${id}
version: 1
name: ${id}
trigger: { event: page.viewed }
reentry: never
haltOn: []
machine:
  initial: first
  states:
    first:
      entry: { type: send, params: { template: ${template} } }
      after: { P1D: done }
    done: { type: final }
`;
const page = { url: 'https://shop.example.com/' };

describe('a template never reaches one person twice', () => {
  it('a template already sent by another journey is suppressed, with an audit record', () => {
    const timeline = new Timeline(
      catalogOf(onView('a-first', 'welcome-kit'), onView('b-second', 'welcome-kit')),
    );
    const { effects, state } = timeline.apply('page.viewed', page);
    expect(sendsOf(effects).map((c) => [c.journey, c.template])).toEqual([['a-first', 'welcome-kit']]);
    expect(auditsOf(effects).map((a) => [a.decision, a.journey, a.code])).toEqual([
      ['entered', 'a-first', 'trigger_matched'],
      ['sent', 'a-first', 'policy_allows'],
      ['entered', 'b-second', 'trigger_matched'],
      ['suppressed', 'b-second', 'template_already_sent'],
    ]);
    expect(state.templatesSent).toEqual(['welcome-kit']);
  });

  it('a template the dispatcher reports sent counts too', () => {
    const timeline = new Timeline(catalogOf(onView('a-first', 'welcome-kit')));
    timeline.apply('email.sent', {
      commandId: `cmd-${'1'.repeat(32)}`,
      template: 'welcome-kit',
      messageId: 'm-1',
    });
    const { effects } = timeline.apply('page.viewed', page);
    expect(auditsOf(effects)[1]).toMatchObject({ decision: 'suppressed', code: 'template_already_sent' });
  });
});

describe('the contact policy', () => {
  it('defers over a frequency cap to a deferred-send timer, and sends when it fires', () => {
    const timeline = new Timeline(
      catalogOf(onView('a-first', 'tpl-a'), onView('b-second', 'tpl-b')),
      DEFAULT_POLICY,
    );
    const { effects, state } = timeline.apply('page.viewed', page, 'evt-view');
    expect(templatesOfSends(effects)).toEqual(['tpl-a']);
    const deferredAudit = auditsOf(effects).find((a) => a.decision === 'deferred');
    expect(deferredAudit).toMatchObject({ journey: 'b-second', template: 'tpl-b', code: 'max_per_day' });
    const deferred = schedulesOf(effects).find((t) => t.payload.kind === 'deferred-send');
    expect(deferred).toMatchObject({
      journey: 'b-second',
      journeyVersion: 1,
      dueAt: T0.getTime() + DAY,
      payload: { kind: 'deferred-send', template: 'tpl-b', stage: 'first', channel: 'email', delay: 'P1D' },
    });
    expect(Object.keys(state.deferred)).toEqual([deferred?.id]);

    const later = timeline.advance(DAY);
    const sent = sendsOf(later).find((c) => c.template === 'tpl-b');
    expect(sent).toMatchObject({ journey: 'b-second', stage: 'first', causationId: deferred?.id });
    expect(sent?.data).toEqual(page);
    expect(timeline.state.deferred).toEqual({});
  });

  it.each([
    ['22:00 UTC', '2026-11-23T22:00:00.000Z', '2026-11-24T08:00:00.000Z'],
    ['03:30 UTC', '2026-11-24T03:30:00.000Z', '2026-11-24T08:00:00.000Z'],
  ])('quiet hours: a form sent at %s is answered at the end of quiet hours', (_, at, until) => {
    const timeline = new Timeline(catalogOf(whitepaper()), DEFAULT_POLICY, { now: new Date(at) });
    const { effects } = timeline.apply('form.submitted', WHITEPAPER_FORM);
    expect(sendsOf(effects)).toEqual([]);
    expect(auditsOf(effects)[1]).toMatchObject({ decision: 'deferred', code: 'quiet_hours' });
    expect(auditsOf(effects)[1]?.reason).toContain(until);
    const morning = timeline.advance(Date.parse(until) - Date.parse(at));
    expect(sendsOf(morning)).toMatchObject([{ template: 'wp-welcome', createdAt: until }]);
  });

  it('a deferred message is decided again from scratch: sent elsewhere meanwhile, it is suppressed', () => {
    const timeline = new Timeline(
      catalogOf(onView('a-first', 'tpl-a'), onView('b-second', 'tpl-b'), whitepaper({ welcome: 'tpl-b' })),
      DEFAULT_POLICY,
    );
    timeline.apply('page.viewed', page);
    timeline.advance(DAY - HOUR);
    // The white paper's welcome is the same template; the daily cap defers it to the same instant.
    timeline.apply('form.submitted', WHITEPAPER_FORM);
    expect(Object.values(timeline.state.deferred).map((d) => [d.journey, d.template])).toEqual([
      ['b-second', 'tpl-b'],
      ['whitepaper-nurture', 'tpl-b'],
    ]);
    const fired = timeline.advance(HOUR);
    const decisions = auditsOf(fired)
      .filter((a) => a.template === 'tpl-b')
      .map((a) => [a.decision, a.code]);
    expect(decisions).toEqual([
      ['sent', 'policy_allows'],
      ['suppressed', 'template_already_sent'],
    ]);
    expect(templatesOfSends(timeline.effects).filter((t) => t === 'tpl-b')).toHaveLength(1);
  });

  it('the blast guard halts every journey of the customer and raises the alert', () => {
    const policy = parsePolicyOrThrow(
      'frequency: { maxPerDay: 100, maxPerWeek: 100, minGap: PT0S }\nquietHours: { start: "00:00", end: "00:00" }\nblastGuard: { maxPerHour: 2 }',
      'blast.yaml',
    );
    const journeys = ['a', 'b', 'c', 'd'].map((name) => onView(`j-${name}`, `tpl-${name}`));
    const timeline = new Timeline(catalogOf(...journeys), policy);
    const { effects, state } = timeline.apply('page.viewed', page, 'evt-storm');

    expect(templatesOfSends(effects)).toEqual(['tpl-a', 'tpl-b']);
    expect(effects.filter((e) => e.type === 'alert')).toEqual([
      {
        type: 'alert',
        alert: 'blast_guard',
        customerId: 'cust-42',
        at: T0.toISOString(),
        reason: expect.stringContaining('blast guard') as unknown,
        causationId: 'evt-storm',
      },
    ]);
    expect(
      auditsOf(effects)
        .slice(4)
        .map((a) => [a.decision, a.journey, a.code]),
    ).toEqual([
      ['entered', 'j-c', 'trigger_matched'],
      ['suppressed', 'j-c', 'blast_guard'],
      ['halted', 'j-a', 'blast_guard'],
      ['halted', 'j-b', 'blast_guard'],
      ['halted', 'j-c', 'blast_guard'],
      ['suppressed', 'j-d', 'blast_guard'],
    ]);
    expect(state.active).toEqual({});
    // The waits of a and b are cancelled; c's wait never started.
    expect(timeline.timers.size).toBe(0);
  });
});

describe('halt marks from the sentinel', () => {
  const mark = (over: Partial<HaltMark>): HaltMark => ({
    eventId: 'evt-reply',
    type: 'email.replied',
    at: T0.getTime(),
    ...over,
  });

  it.each<[string, HaltMark, boolean]>([
    ['a mark for every journey', mark({}), false],
    ['a mark for this journey', mark({ journeys: ['whitepaper-nurture'] }), false],
    ['an opt-out mark', mark({ type: 'contact.opted_out', journeys: [], optOut: true }), false],
    ['a mark for another journey', mark({ journeys: ['other'] }), true],
    ['the mark of the event being applied', mark({ eventId: 'evt-form' }), true],
  ])('%s: sent %s', (_, halt, sent) => {
    const timeline = new Timeline(catalogOf(whitepaper())).withHalts([halt]);
    const { effects } = timeline.apply('form.submitted', WHITEPAPER_FORM, 'evt-form');
    if (sent) {
      expect(templatesOfSends(effects)).toEqual(['wp-welcome']);
    } else {
      expect(sendsOf(effects)).toEqual([]);
      expect(auditsOf(effects)[1]).toMatchObject({
        decision: 'suppressed',
        template: 'wp-welcome',
        code: 'halted',
        causationId: 'evt-form',
      });
      expect(auditsOf(effects)[1]?.reason).toContain(halt.eventId);
    }
  });

  it('a deferred message that comes due under a mark is suppressed, not sent', () => {
    const timeline = new Timeline(catalogOf(whitepaper()), DEFAULT_POLICY, {
      now: new Date('2026-11-23T22:00:00.000Z'),
    });
    timeline.apply('form.submitted', WHITEPAPER_FORM);
    timeline.withHalts([mark({ at: Date.parse('2026-11-24T07:00:00.000Z') })]);
    const morning = timeline.advance(10 * HOUR);
    expect(sendsOf(morning)).toEqual([]);
    expect(auditsOf(morning)).toMatchObject([
      { decision: 'suppressed', template: 'wp-welcome', code: 'halted' },
    ]);
  });
});

describe('what the dispatcher gets', () => {
  it('an answer to a reply quotes the form and the reply', () => {
    const inquiry = `
id: inquiry
version: 1
name: Inquiry
trigger: { event: form.submitted, where: { formId: inquiry } }
reentry: always
haltOn: []
machine:
  initial: answered
  states:
    answered:
      entry: { type: send, params: { template: inquiry-ack } }
      on: { email.replied: followUp }
      after: { P7D: done }
    followUp:
      entry: { type: send, params: { template: inquiry-follow-up } }
      after: { P7D: done }
    done: { type: final }
`;
    const timeline = new Timeline(catalogOf(inquiry));
    const form = { formId: 'inquiry', email: 'bo@example.com', fields: { question: 'Do you ship to Oslo?' } };
    const ack = timeline.apply('form.submitted', form);
    expect(sendsOf(ack.effects)).toMatchObject([
      { template: 'inquiry-ack', to: 'bo@example.com', data: form },
    ]);
    const reply = timeline.apply('email.replied', { text: 'And to Bergen?' });
    expect(sendsOf(reply.effects)).toMatchObject([
      { template: 'inquiry-follow-up', to: 'bo@example.com', data: { ...form, text: 'And to Bergen?' } },
    ]);
  });
});
