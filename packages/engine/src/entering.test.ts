import { commandIdFor } from '@tactful/events';
import { describe, expect, it } from 'vitest';
import {
  DAY,
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

describe('entering a journey on its trigger', () => {
  it('enters on a matching form: entry send with a deterministic command, the first wait, audits', () => {
    const timeline = new Timeline(catalogOf(whitepaper()));
    const { effects, state } = timeline.apply('form.submitted', WHITEPAPER_FORM, 'evt-7f3a');

    expect(effects.map((e) => e.type)).toEqual(['audit', 'send', 'audit', 'schedule']);
    expect(auditsOf(effects).map((a) => [a.decision, a.code])).toEqual([
      ['entered', 'trigger_matched'],
      ['sent', 'policy_allows'],
    ]);
    expect(sendsOf(effects)).toEqual([
      {
        id: commandIdFor({
          customerId: 'cust-42',
          journey: 'whitepaper-nurture',
          journeyVersion: 3,
          stage: 'welcome',
          template: 'wp-welcome',
          causationId: 'evt-7f3a',
        }),
        type: 'email.send',
        customerId: 'cust-42',
        journey: 'whitepaper-nurture',
        journeyVersion: 3,
        stage: 'welcome',
        template: 'wp-welcome',
        causationId: 'evt-7f3a',
        createdAt: T0.toISOString(),
        channel: 'email',
        to: 'ann@example.com',
        data: WHITEPAPER_FORM,
        class: 'marketing',
        entry: 1,
      },
    ]);
    const [timer] = schedulesOf(effects);
    expect(timer).toMatchObject({
      customerId: 'cust-42',
      journey: 'whitepaper-nurture',
      journeyVersion: 3,
      dueAt: T0.getTime() + 3 * DAY,
      payload: {
        kind: 'after',
        event: 'xstate.after.P3D.whitepaper-nurture.welcome',
        stage: 'welcome',
        delay: 'P3D',
      },
    });
    expect(state.active['whitepaper-nurture']).toMatchObject({
      version: 3,
      entry: 1,
      enteredAt: T0.toISOString(),
      timers: { 'xstate.after.P3D.whitepaper-nurture.welcome': timer?.id },
      trigger: { eventId: 'evt-7f3a', type: 'form.submitted', data: WHITEPAPER_FORM },
      stage: 'welcome',
    });
    expect(state.templatesSent).toEqual(['wp-welcome']);
    expect(state.profile).toEqual({ email: 'ann@example.com', name: 'Ann', fields: { topic: 'pricing' } });
  });

  it.each([
    ['another form', { ...WHITEPAPER_FORM, formId: 'newsletter' }],
    ['a form without the field', { formId: 'x', email: 'ann@example.com' }],
  ])('does not enter on %s, and says nothing about it', (_, data) => {
    const timeline = new Timeline(catalogOf(whitepaper()));
    expect(timeline.apply('form.submitted', data).effects).toEqual([]);
  });

  it('does not enter a journey the person is in; the audit says so', () => {
    const timeline = new Timeline(catalogOf(whitepaper()));
    timeline.apply('form.submitted', WHITEPAPER_FORM);
    const { effects } = timeline.apply('form.submitted', WHITEPAPER_FORM);
    expect(sendsOf(effects)).toEqual([]);
    expect(auditsOf(effects)).toMatchObject([
      { decision: 'suppressed', journey: 'whitepaper-nurture', code: 'already_active' },
    ]);
  });
});

// A journey that ends an hour after it starts, so that re-entry can be tried after leaving it.
const short = (reentry: string): string => `
id: short
version: 1
name: Short
trigger: { event: page.viewed }
reentry: ${reentry}
haltOn: []
machine:
  initial: hello
  states:
    hello:
      entry: { type: send, params: { template: short-hello } }
      after: { PT1H: done }
    done: { type: final }
`;

describe('reentry', () => {
  const page = { url: 'https://shop.example.com/' };

  it.each([
    // reentry, time after leaving, entered again?, refusal code
    ['never', 1 * DAY, false, 'reentry_never'],
    ['never', 1000 * DAY, false, 'reentry_never'],
    ['always', 0, true, undefined],
    ['always', 1 * DAY, true, undefined],
    ['P90D', 89 * DAY, false, 'reentry_window'],
    ['P90D', 90 * DAY - 1, false, 'reentry_window'],
    ['P90D', 90 * DAY, true, undefined],
  ] as const)('reentry %s, %d ms after leaving: entered %s', (reentry, after, entered, code) => {
    const timeline = new Timeline(catalogOf(short(reentry)));
    const firstEntry = timeline.apply('page.viewed', page).state.active['short']?.entry ?? 0;
    const completed = timeline.advance(HOUR);
    expect(auditsOf(completed).map((a) => a.decision)).toEqual(['completed']);
    expect(timeline.state.history['short']).toEqual({
      lastExitAt: new Date(T0.getTime() + HOUR).toISOString(),
      outcome: 'completed',
      version: 1,
    });

    timeline.advance(after);
    const { effects, state } = timeline.apply('page.viewed', page);
    const [first] = auditsOf(effects);
    if (entered) {
      expect(first).toMatchObject({ decision: 'entered', journey: 'short' });
      // A new entry: its waits get ids of their own, so a late timer of the first is stale.
      expect(state.active['short']?.entry).toBeGreaterThan(firstEntry);
      // Entered again, but the template already reached this person: invariant 3 holds across entries.
      expect(auditsOf(effects)[1]).toMatchObject({ decision: 'suppressed', code: 'template_already_sent' });
    } else {
      expect(effects).toHaveLength(1);
      expect(first).toMatchObject({ decision: 'suppressed', journey: 'short', code });
      expect(state.active['short']).toBeUndefined();
    }
  });
});

describe('audience.exclude: [customers]', () => {
  it.each([
    ['prospect', true],
    ['former-customer', true],
    ['customer', false],
  ] as const)('a %s is entered: %s', (status, entered) => {
    const timeline = new Timeline(catalogOf(whitepaper({ exclude: ['customers'] })));
    timeline.apply('customer.status_changed', { status });
    const { effects } = timeline.apply('form.submitted', WHITEPAPER_FORM);
    if (entered) {
      expect(templatesOfSends(effects)).toEqual(['wp-welcome']);
    } else {
      expect(effects).toHaveLength(1);
      expect(auditsOf(effects)[0]).toMatchObject({
        decision: 'suppressed',
        journey: 'whitepaper-nurture',
        code: 'existing_customer',
      });
      expect(auditsOf(effects)[0]?.reason).toMatch(/^not entered: /);
    }
  });

  it('halts a prospecting journey when the person becomes a customer', () => {
    const timeline = new Timeline(catalogOf(whitepaper({ exclude: ['customers'] })));
    timeline.apply('form.submitted', WHITEPAPER_FORM);
    const { effects, state } = timeline.apply('customer.status_changed', { status: 'customer' });
    expect(auditsOf(effects)).toMatchObject([{ decision: 'halted', code: 'existing_customer' }]);
    expect(state.active).toEqual({});
    expect(timeline.timers.size).toBe(0);
  });
});

describe('the Travelocity story: information before booking, local tips after', () => {
  const nurture = `
id: trip-nurture
version: 1
name: Before the trip
trigger: { event: page.viewed, where: { sku: sku-lisbon-trip } }
reentry: always
haltOn: [email.replied]
products: [sku-lisbon-trip]
machine:
  initial: info
  states:
    info:
      entry: { type: send, params: { template: trip-info } }
      after: { P2D: offer }
    offer:
      entry: { type: send, params: { template: trip-offer } }
      after: { P2D: done }
    done: { type: final }
`;
  // Lists no products: the purchase that enters it must not also keep the person out of it.
  const postPurchase = `
id: trip-tips
version: 1
name: After booking
trigger: { event: purchase.completed, where: { items.0.sku: sku-lisbon-trip } }
reentry: never
haltOn: []
machine:
  initial: tips
  states:
    tips:
      entry: { type: send, params: { template: trip-local-tips } }
      after: { P1D: done }
    done: { type: final }
`;
  const view = { url: 'https://travel.example.com/lisbon', sku: 'sku-lisbon-trip' };
  const purchase = { orderId: 'o-1', items: [{ sku: 'sku-lisbon-trip' }] };

  it('a purchase ends the nurture (its offer never goes out), enters the tips, and keeps the nurture closed', () => {
    const timeline = new Timeline(catalogOf(nurture, postPurchase));
    timeline.apply('page.viewed', view);
    const bought = timeline.apply('purchase.completed', purchase);

    expect(auditsOf(bought.effects).map((a) => [a.decision, a.journey, a.code])).toEqual([
      ['completed', 'trip-nurture', 'purchased'],
      ['entered', 'trip-tips', 'trigger_matched'],
      ['sent', 'trip-tips', 'policy_allows'],
    ]);
    expect(templatesOfSends(bought.effects)).toEqual(['trip-local-tips']);
    expect(bought.state.history['trip-nurture']).toMatchObject({
      outcome: 'completed',
      blockedByPurchase: true,
    });
    expect(bought.state.purchases).toEqual([
      { sku: 'sku-lisbon-trip', orderId: 'o-1', at: T0.toISOString() },
    ]);

    // The offer's wait was cancelled with the nurture: days later, nothing about the trip is offered.
    const later = timeline.advance(5 * DAY);
    expect(templatesOfSends(later)).toEqual([]);
    const again = timeline.apply('page.viewed', view);
    expect(auditsOf(again.effects)).toMatchObject([
      { decision: 'suppressed', journey: 'trip-nurture', code: 'purchased' },
    ]);
  });

  it('never enters the nurture of a product already bought, even without having been in it', () => {
    const timeline = new Timeline(catalogOf(nurture));
    timeline.apply('purchase.completed', purchase);
    const { effects } = timeline.apply('page.viewed', view);
    expect(sendsOf(effects)).toEqual([]);
    expect(auditsOf(effects)[0]).toMatchObject({ code: 'purchased' });
  });
});
