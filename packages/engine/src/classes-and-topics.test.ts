import { haltMarkCovers } from '@tactful/events';
import { parsePolicyOrThrow } from '@tactful/policy';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from './catalog';
import { haltScope, markTopics } from './halt-scope';
import {
  CUSTOMER,
  DAY,
  T0,
  Timeline,
  auditsOf,
  catalogOf,
  journey,
  makeEvent,
  sendsOf,
  templatesOfSends,
} from './test-kit';

// `class: transactional` (answers to what the person asked) and subscription topics, in the engine.

const inquiry = (reentry = 'always'): string => `
id: contact-inquiry
version: 1
name: Inquiry answered at once
class: transactional
trigger: { event: form.submitted, where: { formId: contact-us } }
reentry: ${reentry}
haltOn: [email.replied]
machine:
  initial: answered
  states:
    answered:
      entry: { type: send, params: { template: inquiry-answer } }
      after: { P2D: done }
    done: { type: final }
`;

const marketing = (id: string, formId: string, template: string, topic?: string): string => `
id: ${id}
version: 1
name: ${id}
${topic === undefined ? '' : `topic: ${topic}`}
trigger: { event: form.submitted, where: { formId: ${formId} } }
reentry: never
haltOn: []
machine:
  initial: first
  states:
    first:
      entry: { type: send, params: { template: ${template} } }
      after: { P30D: second }
    second:
      entry: { type: send, params: { template: ${template}-2 } }
      after: { P1D: done }
    done: { type: final }
`;

/** One journey entered by every form, two sends of its own: one on the journey's topic, one on another. */
const digest = `
id: digest
version: 1
name: Digest
topic: digest
trigger: { event: form.submitted, where: { formId: digest } }
reentry: never
haltOn: []
machine:
  initial: first
  states:
    first:
      entry:
        - { type: send, params: { template: digest-1 } }
        - { type: send, params: { template: digest-offer, topic: offers } }
      after: { P1D: done }
    done: { type: final }
`;

const ONE_A_DAY = parsePolicyOrThrow(
  `frequency: { maxPerDay: 1, maxPerWeek: 10, minGap: PT0S }
quietHours: { start: "21:00", end: "08:00" }
blastGuard: { maxPerHour: 5 }
`,
  'one-a-day.yaml',
);
const form = (formId: string, extra: Record<string, unknown> = {}) => ({
  formId,
  email: 'ann@example.com',
  ...extra,
});

describe('transactional journeys', () => {
  it('answer a second question months later: the ledger keeps the answer per entry', () => {
    const timeline = new Timeline(catalogOf(inquiry()));
    const first = timeline.apply('form.submitted', form('contact-us', { fields: { message: 'One?' } }));
    expect(sendsOf(first.effects)).toMatchObject([
      { template: 'inquiry-answer', class: 'transactional', entry: 1 },
    ]);
    timeline.advance(120 * DAY);
    const second = timeline.apply('form.submitted', form('contact-us', { fields: { message: 'Two?' } }));
    const [answer] = sendsOf(second.effects);
    expect(answer).toMatchObject({ template: 'inquiry-answer', class: 'transactional' });
    expect(answer?.entry).toBeGreaterThan(1);
    expect(timeline.state.templatesSent).toEqual([
      'inquiry-answer#contact-inquiry/1',
      `inquiry-answer#contact-inquiry/${answer?.entry}`,
    ]);
  });

  it('send a template once per entry: one the dispatcher reported for this entry is not sent again', () => {
    const timeline = new Timeline(catalogOf(inquiry()));
    timeline.apply('email.sent', {
      commandId: `cmd-${'2'.repeat(32)}`,
      template: 'inquiry-answer',
      messageId: 'm-1',
      ledgerKey: 'inquiry-answer#contact-inquiry/1',
    });
    const { effects } = timeline.apply('form.submitted', form('contact-us'));
    expect(sendsOf(effects)).toEqual([]);
    expect(auditsOf(effects)).toContainEqual(
      expect.objectContaining({
        decision: 'suppressed',
        code: 'template_already_sent',
        reason: expect.stringMatching(
          /in this entry of contact-inquiry; a transactional template is sent once per entry$/,
        ),
      }),
    );
    expect(timeline.state.templatesSent).toEqual(['inquiry-answer#contact-inquiry/1']);
  });

  it('keep marketing templates never-twice, across journeys', () => {
    const timeline = new Timeline(
      catalogOf(marketing('a', 'news', 'shared'), marketing('b', 'offers', 'shared')),
    );
    timeline.apply('form.submitted', form('news'));
    const { effects } = timeline.apply('form.submitted', form('offers'));
    expect(auditsOf(effects).map((a) => [a.decision, a.journey, a.code])).toContainEqual([
      'suppressed',
      'b',
      'template_already_sent',
    ]);
    expect(timeline.state.templatesSent).toEqual(['shared']);
  });

  it('take the budget first on a busy day: the answer goes, the marketing after it is deferred', () => {
    const timeline = new Timeline(catalogOf(inquiry(), marketing('news', 'newsletter', 'news-1')), ONE_A_DAY);
    const asked = timeline.apply('form.submitted', form('contact-us'));
    expect(templatesOfSends(asked.effects)).toEqual(['inquiry-answer']);
    const subscribed = timeline.apply('form.submitted', form('newsletter'));
    expect(sendsOf(subscribed.effects)).toEqual([]);
    expect(auditsOf(subscribed.effects)).toContainEqual(
      expect.objectContaining({ decision: 'deferred', template: 'news-1', code: 'max_per_day' }),
    );
  });

  it('are not held by caps or quiet hours when marketing already took the day', () => {
    const timeline = new Timeline(
      catalogOf(inquiry(), marketing('news', 'newsletter', 'news-1')),
      ONE_A_DAY,
      {
        now: new Date('2026-11-23T20:30:00Z'),
      },
    );
    timeline.apply('form.submitted', form('newsletter'));
    timeline.now = new Date('2026-11-23T22:30:00Z');
    const { effects } = timeline.apply('form.submitted', form('contact-us'));
    expect(templatesOfSends(effects)).toEqual(['inquiry-answer']);
  });

  it('are decided before marketing sends of the same step', () => {
    const both = `${inquiry().replace('id: contact-inquiry', 'id: z-answer').replace('formId: contact-us', 'formId: both')}`;
    const timeline = new Timeline(catalogOf(both, marketing('a-news', 'both', 'news-1')), ONE_A_DAY);
    const { effects } = timeline.apply('form.submitted', form('both'));
    expect(templatesOfSends(effects)).toEqual(['inquiry-answer']);
    expect(auditsOf(effects)).toContainEqual(
      expect.objectContaining({ decision: 'deferred', journey: 'a-news', code: 'max_per_day' }),
    );
  });

  it('are still stopped by an opt-out', () => {
    const timeline = new Timeline(catalogOf(inquiry()));
    timeline.apply('contact.opted_out', { channel: 'all' });
    const { effects } = timeline.apply('form.submitted', form('contact-us'));
    expect(sendsOf(effects)).toEqual([]);
    expect(auditsOf(effects)).toContainEqual(expect.objectContaining({ code: 'opted_out' }));
  });
});

describe('topics', () => {
  it('a topic left suppresses that topic’s journey (halted, then never entered) and no other', () => {
    const timeline = new Timeline(
      catalogOf(marketing('news', 'newsletter', 'news-1', 'newsletter'), marketing('tips', 'tips', 'tips-1')),
    );
    timeline.apply('form.submitted', form('newsletter'));
    timeline.apply('form.submitted', form('tips'));
    const left = timeline.apply('contact.preferences_updated', { topicsOptedOut: ['Newsletter'] });
    expect(auditsOf(left.effects)).toContainEqual(
      expect.objectContaining({ decision: 'halted', journey: 'news', code: 'topic_opted_out' }),
    );
    expect(timeline.state.haltFences.journeys.news).toMatchObject({ type: 'contact.preferences_updated' });
    const later = timeline.advance(31 * DAY);
    expect(templatesOfSends(later)).toEqual(['tips-1-2']);
  });

  it('a send’s own topic is suppressed with a reason naming it, the journey’s other sends go', () => {
    const timeline = new Timeline(catalogOf(digest));
    timeline.apply('contact.preferences_updated', { topicsOptedOut: ['offers'] });
    const { effects } = timeline.apply('form.submitted', form('digest'));
    expect(templatesOfSends(effects)).toEqual(['digest-1']);
    expect(auditsOf(effects)).toContainEqual(
      expect.objectContaining({
        decision: 'suppressed',
        template: 'digest-offer',
        code: 'topic_opted_out',
        reason: 'opted out of topic offers',
      }),
    );
    expect(sendsOf(effects)[0]).toMatchObject({ topic: 'digest', class: 'marketing' });
  });

  it('a journey whose topic the person left is not entered', () => {
    const timeline = new Timeline(catalogOf(marketing('news', 'newsletter', 'news-1', 'newsletter')));
    timeline.apply('contact.preferences_updated', { topicsOptedOut: ['newsletter'] });
    const { effects } = timeline.apply('form.submitted', form('newsletter'));
    expect(auditsOf(effects)).toEqual([
      expect.objectContaining({
        decision: 'suppressed',
        code: 'topic_opted_out',
        reason: 'not entered: the person left the topic newsletter',
      }),
    ]);
  });

  it('a sentinel mark of a topic stops that topic’s sends in any journey, not the others', () => {
    const catalog = buildCatalog([journey(digest)]);
    const event = makeEvent(
      'contact.preferences_updated',
      { topicsOptedOut: ['Offers '] },
      { id: 'evt-pref', time: T0 },
    );
    expect(markTopics(event)).toEqual(['offers']);
    expect(haltScope(event, catalog)).toBeUndefined();
    const mark = {
      eventId: 'evt-pref',
      type: event.type,
      at: T0.getTime(),
      journeys: [],
      topics: ['offers'],
    };
    expect(haltMarkCovers(mark, 'digest', 'offers')).toBe(true);
    expect(haltMarkCovers(mark, 'digest', 'digest')).toBe(false);
    expect(haltMarkCovers(mark, 'digest')).toBe(false);

    const timeline = new Timeline(catalog).withHalts([mark]);
    const { effects } = timeline.apply('form.submitted', form('digest'));
    expect(templatesOfSends(effects)).toEqual(['digest-1']);
    expect(auditsOf(effects)).toContainEqual(
      expect.objectContaining({ template: 'digest-offer', decision: 'suppressed', code: 'halted' }),
    );
  });

  it('a topic-leaving event halts the journeys of that topic, by their topic', () => {
    const catalog = catalogOf(marketing('news', 'newsletter', 'news-1', 'newsletter'), digest);
    const event = makeEvent(
      'contact.preferences_updated',
      { topicsOptedOut: ['newsletter', 'digest'] },
      { id: 'evt-p', time: T0, subject: CUSTOMER },
    );
    expect(haltScope(event, catalog)).toEqual({ all: false, journeys: ['digest', 'news'] });
  });
});
