import type { TactfulEvent } from '@tactful/events';
import { describe, expect, it } from 'vitest';
import { CustomerState, emptyCustomerState } from './customer-state';
import { step } from './step';
import type { StepContext } from './step-run';
import {
  CUSTOMER,
  DAY,
  DEFAULT_POLICY,
  HOUR,
  Timeline,
  WHITEPAPER_FORM,
  auditsOf,
  catalogOf,
  makeEvent,
  schedulesOf,
  sendsOf,
  whitepaper,
} from './test-kit';

const postPurchase = `
id: after-purchase
version: 1
name: After purchase
trigger: { event: purchase.completed }
reentry: always
haltOn: [email.replied]
machine:
  initial: thanks
  states:
    thanks:
      entry: { type: send, params: { template: pp-thanks } }
      after: { P2D: tips }
    tips:
      entry: { type: send, params: { template: pp-tips } }
      after: { P1D: done }
    done: { type: final }
`;

const START = new Date('2026-11-23T20:30:00.000Z');

/** A life with every kind of decision: entries, sends, deferrals, waits, halts, completions. */
function live(timeline: Timeline): Timeline {
  timeline.apply('form.submitted', WHITEPAPER_FORM);
  timeline.advance(2 * HOUR);
  timeline.apply('email.opened', {});
  timeline.apply('purchase.completed', { orderId: 'o-1', items: [{ sku: 'sku-a' }] });
  timeline.advance(DAY);
  timeline.apply('email.replied', { text: 'thanks' });
  timeline.advance(3 * DAY);
  timeline.apply('contact.opted_out', {});
  timeline.apply('purchase.completed', { orderId: 'o-2', items: [] });
  return timeline;
}

const catalog = catalogOf(whitepaper({ products: ['sku-a'] }), postPurchase);
const ctx: StepContext = { catalog, policy: DEFAULT_POLICY };

/** Every (state, event, now) of that life, as `step` received them. */
function recordedSteps(): { state: CustomerState; event: TactfulEvent; now: Date }[] {
  const steps: { state: CustomerState; event: TactfulEvent; now: Date }[] = [];
  const timeline = new Timeline(catalog, DEFAULT_POLICY, { now: START });
  const apply = timeline.applyEvent.bind(timeline);
  timeline.applyEvent = (event) => {
    steps.push({ state: timeline.state, event, now: timeline.now });
    return apply(event);
  };
  live(timeline);
  return steps;
}

describe('determinism', () => {
  const steps = recordedSteps();

  it('covers sends, deferrals, waits, halts and completions', () => {
    const decisions = new Set(
      auditsOf(live(new Timeline(catalog, DEFAULT_POLICY, { now: START })).effects).map((a) => a.decision),
    );
    expect([...decisions].sort()).toEqual([
      'completed',
      'deferred',
      'entered',
      'halted',
      'sent',
      'suppressed',
    ]);
    expect(steps.length).toBeGreaterThanOrEqual(7);
  });

  it('the same (state, event, now, ctx) always gives the same result: a replay after a crash re-derives every id', () => {
    for (const { state, event, now } of steps) {
      const first = step(state, event, now, ctx);
      const replayed = step(state, event, now, ctx);
      expect(replayed).toEqual(first);
    }
  });

  it('steps a state read back from JSON exactly like the state that was saved', () => {
    for (const { state, event, now } of steps) {
      const stored: unknown = JSON.parse(JSON.stringify(state));
      const restored = CustomerState.parse(stored);
      expect(restored).toEqual(state);
      const result = step(restored, event, now, ctx);
      expect(result).toEqual(step(state, event, now, ctx));
      expect(JSON.parse(JSON.stringify(result))).toEqual(result);
    }
  });

  it('never changes the state it is given', () => {
    for (const { state, event, now } of steps) {
      const copy = structuredClone(state);
      step(state, event, now, ctx);
      expect(state).toEqual(copy);
    }
  });

  it('every send and every non-send has an audit record naming the event that caused it (invariant 6)', () => {
    for (const { state, event, now } of steps) {
      const { effects } = step(state, event, now, ctx);
      const audits = auditsOf(effects);
      for (const record of audits) {
        expect(record.causationId).toBe(event.id);
        expect(record.customerId).toBe(CUSTOMER);
        expect(record.at).toBe(now.toISOString());
        expect(record.code).toMatch(/^[a-z_]+$/);
      }
      for (const command of sendsOf(effects)) {
        expect(command.causationId).toBe(event.id);
        expect(audits.filter((a) => a.decision === 'sent' && a.commandId === command.id)).toHaveLength(1);
      }
      expect(audits.filter((a) => a.decision === 'sent')).toHaveLength(sendsOf(effects).length);
    }
  });

  it('refuses an event of another customer', () => {
    const event = makeEvent(
      'page.viewed',
      { url: 'https://x.example/' },
      {
        id: 'evt-x',
        time: new Date(0),
        subject: 'cust-other',
      },
    );
    expect(() => step(emptyCustomerState(CUSTOMER), event, new Date(0), ctx)).toThrow(/another customer/);
  });

  it('loads a stored state that lacks fields a later version added, with their defaults', () => {
    expect(CustomerState.parse({ customerId: CUSTOMER })).toEqual(emptyCustomerState(CUSTOMER));
  });
});

describe('what a replay must keep stable', () => {
  it('the command id of a send depends on the event, not on when it is replayed', () => {
    const run = (now: Date) => {
      const timeline = new Timeline(catalogOf(whitepaper()), undefined, { now });
      return sendsOf(timeline.apply('form.submitted', WHITEPAPER_FORM, 'evt-same').effects)[0]?.id;
    };
    expect(run(new Date('2026-11-23T12:00:00Z'))).toBe(run(new Date('2026-11-23T12:00:05Z')));
    expect(run(new Date('2026-11-23T12:00:00Z'))).toMatch(/^cmd-[0-9a-f]{32}$/);
  });

  it('timer ids differ between customers and between waits', () => {
    const ids = ['cust-a', 'cust-b'].flatMap((customerId) => {
      const timeline = new Timeline(catalog, DEFAULT_POLICY, { now: START, customerId });
      return schedulesOf(live(timeline).effects).map((timer) => timer.id);
    });
    expect(ids.length).toBeGreaterThan(6);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
