import { commandIdFor, type EmailSendCommand, type HaltMark } from '@tactful/events';
import {
  applyBounce,
  applyOptOut,
  applyPreferences,
  applyStatusChange,
  DEFAULT_POLICY,
  recordSend,
} from '@tactful/policy';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyCustomerState, type CustomerState } from './customer-state';
import { customerView, type DeliveryContext, type StoredCustomerView } from './customer-view';
import { lastMileCheck } from './last-mile';
import { compactState, stateOfStored } from './stored-state';

const T = Date.parse('2026-11-23T10:00:00.000Z');
const iso = (offset: number) => new Date(T + offset).toISOString();
const JOURNEYS = ['nurture', 'tips', 'offers-digest'] as const;
const journey = fc.constantFrom(...JOURNEYS);
const template = fc.constantFrom('t1', 't2', 't3', 'tips-1');
const topic = fc.constantFrom('offers', 'news');
/** Up to two hours either side of T: fences, exits and sends before and after a command's `createdAt`. */
const offset = fc.integer({ min: -7_200_000, max: 7_200_000 });

const fence = fc.record({
  at: offset.map(iso),
  eventId: fc.constantFrom('e1', 'e2'),
  type: fc.constantFrom('email.replied', 'contact.opted_out'),
});

const change = fc.oneof(
  fc.constant((s: CustomerState) => ({ ...s, contact: applyOptOut(s.contact) })),
  fc.constant((s: CustomerState) => ({ ...s, contact: applyOptOut(s.contact, 'sms') })),
  fc.constant((s: CustomerState) => ({ ...s, contact: applyBounce(s.contact, { hard: true }) })),
  fc
    .constantFrom('customer', 'former-customer', 'prospect')
    .map((status) => (s: CustomerState) => ({ ...s, contact: applyStatusChange(s.contact, status) })),
  topic.map((left) => (s: CustomerState) => ({
    ...s,
    contact: applyPreferences(s.contact, { topicsOptedOut: [left] }),
  })),
  fc.tuple(journey, template, offset).map(([j, t, at]) => (s: CustomerState) => ({
    ...s,
    contact: recordSend(s.contact, { journey: j, template: t }, new Date(T + at)),
  })),
  fc
    .tuple(journey, offset, fc.constantFrom('completed', 'halted'), fc.boolean())
    .map(([j, at, outcome, purchase]) => (s: CustomerState) => ({
      ...s,
      history: {
        ...s.history,
        [j]: { lastExitAt: iso(at), outcome, version: 1, ...(purchase ? { blockedByPurchase: true } : {}) },
      },
    })),
  fc.tuple(journey, fence).map(([j, f]) => (s: CustomerState) => ({
    ...s,
    haltFences: { ...s.haltFences, journeys: { ...s.haltFences.journeys, [j]: f } },
  })),
  fence.map((f) => (s: CustomerState) => ({ ...s, haltFences: { ...s.haltFences, all: f } })),
  template.map((t) => (s: CustomerState) => ({
    ...s,
    templatesSent: [...new Set([...s.templatesSent, t])].sort(),
  })),
);

const mark: fc.Arbitrary<HaltMark> = fc.record(
  {
    eventId: fc.constantFrom('m1', 'm2', 'm3', 'm4'),
    type: fc.constantFrom('email.replied', 'contact.opted_out', 'contact.preferences_updated'),
    at: fc.nat(),
    journeys: fc.array(journey, { maxLength: 2 }),
    optOut: fc.oneof(
      { arbitrary: fc.constant(false), weight: 5 },
      { arbitrary: fc.constant(true), weight: 1 },
    ),
    topics: fc.array(topic, { maxLength: 1 }),
  },
  { requiredKeys: ['eventId', 'type', 'at'] },
);

/** Marks as the store gives them: one per event id, oldest first. */
const marks = fc
  .uniqueArray(mark, { selector: (m) => m.eventId, maxLength: 3 })
  .map((all) => [...all].sort((a, b) => a.at - b.at));

/** What a store holds of one customer: nothing, or a state (stored compact or in full), and a ledger. */
const stored: fc.Arbitrary<StoredCustomerView> = fc
  .record({
    state: fc.option(
      fc.tuple(fc.array(change, { maxLength: 8 }), fc.boolean()).map(([changes, compact]) => {
        const state = changes.reduce((s, apply) => apply(s), emptyCustomerState('ann'));
        return compact ? compactState(state) : JSON.parse(JSON.stringify(state));
      }),
      { nil: null },
    ),
    ledger: fc.uniqueArray(template, { maxLength: 3 }).map((l) => [...l].sort()),
    halts: marks,
  })
  .map((parts) => ({ customerId: 'ann', ...parts }));

const command: fc.Arbitrary<EmailSendCommand> = fc
  .record({
    journey,
    template,
    createdAt: offset.map(iso),
    topic: fc.option(topic, { nil: undefined }),
    transactional: fc.boolean(),
  })
  .map(({ journey: j, template: t, createdAt, topic: on, transactional }) => {
    const base = {
      customerId: 'ann',
      journey: j,
      journeyVersion: 1,
      stage: 's',
      template: t,
      causationId: 'evt-1',
    };
    return {
      ...base,
      id: commandIdFor(base),
      type: 'email.send',
      createdAt,
      ...(on === undefined ? {} : { topic: on }),
      ...(transactional ? { class: 'transactional' as const } : {}),
    };
  });

const context: fc.Arbitrary<DeliveryContext> = fc.record({
  policy: fc.constant(DEFAULT_POLICY),
  prospecting: fc.boolean(),
  deliveredLastHour: fc.nat(5),
  now: offset.map((at) => new Date(T + 7_200_000 + at)),
});

describe('customerView', () => {
  it('reads, for every stored customer, the state stateOfStored reads and the store’s ledger and live marks', () => {
    fc.assert(
      fc.property(stored, (customer) => {
        const view = customerView(customer);
        expect(view.state).toEqual(stateOfStored(customer));
        expect(view.known).toBe(customer.state !== null);
        expect(view.ledger).toEqual(customer.ledger);
        expect(view.halts).toEqual(customer.halts);
        expect(view.contact).toEqual(view.state.contact);
        expect(view.sends).toEqual(view.state.contact.sends);
        expect(view.state.templatesSent).toEqual(expect.arrayContaining([...customer.ledger]));
      }),
    );
  });

  it('answers, for every command and customer, what the dispatcher’s last-mile check answered on its own reading', () => {
    fc.assert(
      fc.property(stored, command, context, (customer, cmd, ctx) => {
        // the dispatcher's reading before the view: no state when none is stored, else stateOfStored
        const state = customer.state === null ? null : stateOfStored(customer);
        expect(customerView(customer).mayDeliver(cmd, ctx)).toEqual(
          lastMileCheck({ command: cmd, state, halts: customer.halts, ...ctx }),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('keeps, for every later read of the live marks, the marks still live, in order, and says when one went', () => {
    fc.assert(
      fc.property(
        marks.chain((halts) => fc.tuple(fc.constant(halts), fc.subarray(halts), marks)),
        ([halts, kept, others]) => {
          const view = customerView({ customerId: 'ann', state: null, ledger: [], halts });
          // a later read may hold marks written since: they are not this view's
          const later = [...kept, ...others.filter((m) => !halts.some((h) => h.eventId === m.eventId))];
          const { halts: still, appliedSince } = view.haltsStillLive(later);
          expect(still).toEqual(halts.filter((h) => kept.includes(h)));
          expect(appliedSince).toBe(kept.length < halts.length);
        },
      ),
    );
  });

  it('stops a send on a live opt-out mark and lets it go once the mark is applied and the state says nothing', () => {
    const optOut: HaltMark = { eventId: 'm1', type: 'contact.opted_out', at: 1, optOut: true };
    const base = {
      customerId: 'ann',
      journey: 'tips',
      journeyVersion: 1,
      stage: 's',
      template: 't1',
      causationId: 'e',
    };
    const cmd: EmailSendCommand = { ...base, id: commandIdFor(base), type: 'email.send', createdAt: iso(0) };
    const ctx = { policy: DEFAULT_POLICY, prospecting: false, deliveredLastHour: 0, now: new Date(T) };
    const view = customerView({ customerId: 'ann', state: null, ledger: [], halts: [optOut] });
    expect(view.mayDeliver(cmd, ctx)?.code).toBe('opted_out');
    const { halts, appliedSince } = view.haltsStillLive([]);
    expect(appliedSince).toBe(true);
    expect(
      customerView({ customerId: 'ann', state: null, ledger: [], halts }).mayDeliver(cmd, ctx),
    ).toBeNull();
  });

  it('is read-only, and refuses a stored state the schema refuses with the schema’s error', () => {
    const view = customerView({ customerId: 'ann', state: null, ledger: ['t1'], halts: [] });
    expect(Object.isFrozen(view)).toBe(true);
    expect(view.known).toBe(false);
    expect(view.state.templatesSent).toEqual(['t1']);
    expect(() =>
      customerView({ customerId: 'cy', state: { customerId: 7 }, ledger: [], halts: [] }),
    ).toThrow();
  });
});
