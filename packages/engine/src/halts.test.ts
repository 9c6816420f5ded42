import { describe, expect, it } from 'vitest';
import {
  DAY,
  DEFAULT_POLICY,
  HOUR,
  Timeline,
  WHITEPAPER_FORM,
  auditsOf,
  cancelsOf,
  catalogOf,
  schedulesOf,
  sendsOf,
  templatesOfSends,
  whitepaper,
} from './test-kit';

// A second journey that lists no halting event at all: only the rules for every journey stop it.
const browse = `
id: browse-abandon
version: 1
name: Browse abandonment
trigger: { event: page.viewed }
reentry: always
haltOn: []
machine:
  initial: wait
  states:
    wait:
      after: { PT2H: nudge }
    nudge:
      entry: { type: send, params: { template: browse-nudge } }
      after: { P1D: done }
    done: { type: final }
`;
const page = { url: 'https://shop.example.com/p/1' };

describe('haltOn', () => {
  it('a reply halts the journey at once and cancels its pending wait', () => {
    const timeline = new Timeline(catalogOf(whitepaper({ haltOn: ['email.replied'] })));
    const entered = timeline.apply('form.submitted', WHITEPAPER_FORM);
    const [wait] = schedulesOf(entered.effects);

    const { effects, state } = timeline.apply('email.replied', { text: 'No thanks.' });
    expect(effects).toEqual([
      { type: 'cancel', customerId: 'cust-42', timerId: wait?.id },
      {
        type: 'audit',
        record: expect.objectContaining({
          decision: 'halted',
          journey: 'whitepaper-nurture',
          journeyVersion: 3,
          code: 'halt_on',
          causationId: 'evt-2',
        }) as unknown,
      },
    ]);
    expect(state.active).toEqual({});
    expect(state.history['whitepaper-nurture']).toMatchObject({ outcome: 'halted', version: 3 });
  });

  it('the reply while a wait is pending: the next stage never fires, even when the timer fires late', () => {
    const timeline = new Timeline(catalogOf(whitepaper()));
    const [wait] = schedulesOf(timeline.apply('form.submitted', WHITEPAPER_FORM).effects);
    if (wait === undefined) throw new Error('the welcome state waits');
    timeline.advance(DAY);
    timeline.apply('email.replied', {});
    expect(timeline.timers.size).toBe(0);

    // The timer service had already published the wait before the cancel reached it.
    timeline.now = new Date(wait.dueAt);
    expect(timeline.fire(wait).effects).toEqual([]);
    expect(templatesOfSends(timeline.advance(30 * DAY))).toEqual([]);
    expect(templatesOfSends(timeline.effects)).toEqual(['wp-welcome']);
  });

  it('an event not in haltOn does not halt', () => {
    const timeline = new Timeline(catalogOf(whitepaper({ haltOn: [] })));
    timeline.apply('form.submitted', WHITEPAPER_FORM);
    const { state } = timeline.apply('email.replied', {});
    expect(Object.keys(state.active)).toEqual(['whitepaper-nurture']);
  });
});

describe('opt-out', () => {
  it.each([undefined, 'all', 'email'])(
    'an opt-out (channel %s) halts every journey, whatever haltOn says, and nothing is sent after it',
    (channel) => {
      const timeline = new Timeline(catalogOf(whitepaper({ haltOn: [] }), browse));
      timeline.apply('form.submitted', WHITEPAPER_FORM);
      timeline.apply('page.viewed', page);
      expect(timeline.timers.size).toBe(2);

      const { effects, state } = timeline.apply(
        'contact.opted_out',
        channel === undefined ? {} : { channel },
      );
      expect(auditsOf(effects).map((a) => [a.decision, a.journey, a.code])).toEqual([
        ['halted', 'browse-abandon', 'opted_out'],
        ['halted', 'whitepaper-nurture', 'opted_out'],
      ]);
      expect(cancelsOf(effects)).toHaveLength(2);
      expect(state.active).toEqual({});

      // Nothing enters, nothing is sent, whatever happens next.
      const tried = [
        timeline.apply('page.viewed', page),
        timeline.apply('form.submitted', { ...WHITEPAPER_FORM }),
        timeline.apply('email.opened', {}),
      ];
      expect(tried.flatMap((r) => sendsOf(r.effects))).toEqual([]);
      expect(auditsOf(tried[0]?.effects ?? [])).toMatchObject([
        { decision: 'suppressed', code: 'opted_out' },
      ]);
      expect(templatesOfSends(timeline.advance(30 * DAY))).toEqual([]);
    },
  );

  it('an opt-in lets journeys enter again', () => {
    const timeline = new Timeline(catalogOf(browse));
    timeline.apply('contact.opted_out', {});
    timeline.apply('contact.opted_in', {});
    timeline.apply('page.viewed', page);
    expect(templatesOfSends(timeline.advance(2 * HOUR))).toEqual(['browse-nudge']);
  });
});

describe('bounces', () => {
  it('a hard bounce halts every email journey and keeps them from entering', () => {
    const timeline = new Timeline(catalogOf(whitepaper({ haltOn: [] }), browse));
    timeline.apply('form.submitted', WHITEPAPER_FORM);
    const { effects, state } = timeline.apply('email.bounced', { hard: true });
    expect(auditsOf(effects)).toMatchObject([{ decision: 'halted', code: 'hard_bounced' }]);
    expect(state.active).toEqual({});
    expect(auditsOf(timeline.apply('page.viewed', page).effects)).toMatchObject([
      { decision: 'suppressed', journey: 'browse-abandon', code: 'hard_bounced' },
    ]);
  });

  it('a soft bounce changes nothing', () => {
    const timeline = new Timeline(catalogOf(whitepaper()));
    timeline.apply('form.submitted', WHITEPAPER_FORM);
    const { effects, state } = timeline.apply('email.bounced', { hard: false });
    expect(effects).toEqual([]);
    expect(Object.keys(state.active)).toEqual(['whitepaper-nurture']);
  });
});

describe('products', () => {
  const catalog = catalogOf(whitepaper({ products: ['sku-a'], reentry: 'always' }));

  it.each([
    [['sku-a'], true],
    [['sku-b', 'sku-a'], true],
    [['sku-b'], false],
    [[], false],
  ])('a purchase of %j ends the journey: %s', (skus, ends) => {
    const timeline = new Timeline(catalog);
    timeline.apply('form.submitted', WHITEPAPER_FORM);
    const items = skus.map((sku) => ({ sku }));
    const { effects, state } = timeline.apply('purchase.completed', { orderId: 'o-1', items });
    if (ends) {
      expect(auditsOf(effects)).toMatchObject([{ decision: 'completed', code: 'purchased' }]);
      expect(state.history['whitepaper-nurture']).toMatchObject({ blockedByPurchase: true });
      // Even with reentry: always, a journey whose product was bought stays closed.
      expect(auditsOf(timeline.apply('form.submitted', WHITEPAPER_FORM).effects)).toMatchObject([
        { decision: 'suppressed', code: 'purchased' },
      ]);
    } else {
      expect(effects).toEqual([]);
      expect(Object.keys(state.active)).toEqual(['whitepaper-nurture']);
    }
  });
});

describe('halting drops the messages a journey deferred', () => {
  // 22:00 UTC: inside the default quiet hours, so the welcome waits for 08:00.
  const late = new Date('2026-11-23T22:00:00.000Z');

  it('a reply at night drops the welcome deferred to the morning', () => {
    const timeline = new Timeline(catalogOf(whitepaper()), DEFAULT_POLICY, { now: late });
    const entered = timeline.apply('form.submitted', WHITEPAPER_FORM);
    expect(auditsOf(entered.effects).map((a) => a.decision)).toEqual(['entered', 'deferred']);
    timeline.advance(HOUR);
    const { effects, state } = timeline.apply('email.replied', {});
    expect(auditsOf(effects).map((a) => [a.decision, a.code, a.template])).toEqual([
      ['halted', 'halt_on', undefined],
      ['suppressed', 'halt_on', 'wp-welcome'],
    ]);
    expect(state.deferred).toEqual({});
    expect(timeline.timers.size).toBe(0);
    expect(templatesOfSends(timeline.advance(10 * DAY))).toEqual([]);
  });

  it('an opt-out drops the deferred message of a journey that already completed', () => {
    const inquiry = `
id: inquiry
version: 1
name: Inquiry answer
trigger: { event: form.submitted, where: { formId: inquiry } }
reentry: always
haltOn: []
machine:
  initial: answer
  states:
    answer:
      type: final
      entry: { type: send, params: { template: inquiry-answer } }
`;
    const timeline = new Timeline(catalogOf(inquiry), DEFAULT_POLICY, { now: late });
    const entered = timeline.apply('form.submitted', { formId: 'inquiry', email: 'ann@example.com' });
    expect(auditsOf(entered.effects).map((a) => a.decision)).toEqual(['entered', 'deferred', 'completed']);
    expect(Object.keys(entered.state.deferred)).toHaveLength(1);

    const { effects } = timeline.apply('contact.opted_out', {});
    expect(auditsOf(effects)).toMatchObject([
      { decision: 'suppressed', code: 'opted_out', template: 'inquiry-answer' },
    ]);
    expect(templatesOfSends(timeline.advance(DAY))).toEqual([]);
  });
});
