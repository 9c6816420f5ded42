import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  deliveryStep,
  SETTLED_STATES,
  type ClaimAction,
  type ClaimOutcome,
  type DeliveredOutcome,
  type DeliveryAction,
  type DeliveryOutcomes,
  type DeliveryRecord,
  type DeliverySlot,
  type EndAction,
  type EndOutcome,
  type ReleaseOutcome,
  type SettleOutcome,
} from './delivery-protocol';

const CMD = 'cmd-aa';
const T = 'wp-welcome';
const LEASE = 1000;
const empty: DeliverySlot = { record: null, holder: null };
const claim = (owner: string, now: number): ClaimAction => ({ type: 'claim', owner, now, leaseMs: LEASE });
const end = (owner: string, now: number): EndAction => ({ type: 'end', owner, now, leaseMs: LEASE });

/** Applies an action and returns the outcome and the slot after it. */
function step(slot: DeliverySlot, action: DeliveryAction, commandId = CMD) {
  const t = deliveryStep(slot, commandId, T, action);
  return { outcome: t.outcome, slot: t.write ? { record: t.write.record, holder: t.write.holder } : slot };
}

const sending = (owner: string, phase: 'claimed' | 'ending', leaseUntil: number): DeliveryRecord => ({
  state: 'sending',
  phase,
  owner,
  leaseUntil,
  template: T,
  attempts: 1,
});

describe('the delivery protocol', () => {
  it('a free command is claimed, with its template, then ended, then delivered', () => {
    let s = step(empty, claim('a', 0));
    expect(s.outcome).toBe('claimed');
    expect(s.slot).toEqual({ record: sending('a', 'claimed', LEASE), holder: CMD });
    s = step(s.slot, end('a', 10));
    expect(s.outcome).toBe('ok');
    expect(s.slot.record).toEqual(sending('a', 'ending', 10 + LEASE));
    const delivered = deliveryStep(s.slot, CMD, T, {
      type: 'delivered',
      now: 20,
      messageId: `<${CMD}@tactful>`,
    });
    expect(delivered).toEqual({
      outcome: 'ok',
      write: {
        record: { state: 'delivered', template: T, messageId: `<${CMD}@tactful>`, at: 20 },
        holder: CMD,
        deliveredAt: 20,
      },
    });
    const after = step({ record: delivered.write!.record, holder: CMD }, claim('b', 99_999));
    expect(after.outcome).toBe('delivered');
  });

  it.each([
    ['a live claim of another dispatcher', sending('a', 'claimed', 500), 'b', 100, 'busy'],
    ['a live ending of another dispatcher', sending('a', 'ending', 500), 'b', 100, 'busy'],
    ['an expired claim from before the end of the data', sending('a', 'claimed', 500), 'b', 600, 'recovered'],
    ['an expired ending: maybe delivered', sending('a', 'ending', 500), 'b', 600, 'uncertain'],
    ['its own claim (a retry after a transient failure)', sending('a', 'claimed', 500), 'a', 100, 'claimed'],
    ['its own ending it lost track of', sending('a', 'ending', 500), 'a', 100, 'uncertain'],
    [
      'a suppressed command',
      { state: 'suppressed', template: T, code: 'halted', at: 1 } as const,
      'b',
      0,
      'settled',
    ],
    [
      'a failed command',
      { state: 'failed', template: T, code: 'smtp_rejected', at: 1 } as const,
      'b',
      0,
      'settled',
    ],
    [
      'an uncertain command',
      { state: 'uncertain', template: T, code: 'delivery_uncertain', at: 1 } as const,
      'b',
      0,
      'settled',
    ],
  ] as const)('claiming %s', (_what, record, owner, now, outcome) => {
    expect(step({ record, holder: CMD }, claim(owner, now)).outcome).toBe(outcome);
  });

  it('a template held by another command cannot be claimed', () => {
    expect(step({ record: null, holder: 'cmd-bb' }, claim('a', 0)).outcome).toBe('template_taken');
  });

  it('ending is refused once the claim passed to another dispatcher', () => {
    expect(step({ record: sending('b', 'claimed', 900), holder: CMD }, end('a', 10)).outcome).toBe('lost');
    expect(step(empty, end('a', 10)).outcome).toBe('lost');
  });

  it('a release frees the command and its template, only for the claim’s owner', () => {
    const held = { record: sending('a', 'claimed', 500), holder: CMD };
    expect(step(held, { type: 'release', owner: 'b' }).outcome).toBe('lost');
    expect(step(held, { type: 'release', owner: 'a' })).toEqual({ outcome: 'ok', slot: empty });
  });

  it('settling keeps an uncertain command’s template taken and frees the others’', () => {
    const held = { record: sending('a', 'ending', 500), holder: CMD };
    const settle = (state: 'suppressed' | 'failed' | 'uncertain') =>
      step(held, { type: 'settle', state, code: 'x', owner: 'a', now: 5 }).slot.holder;
    expect(settle('uncertain')).toBe(CMD);
    expect(settle('failed')).toBeNull();
    expect(settle('suppressed')).toBeNull();
    // a suppression for another command's template leaves that holder alone
    expect(
      step(
        { record: null, holder: 'cmd-bb' },
        { type: 'settle', state: 'suppressed', code: 'x', owner: 'a', now: 5 },
      ).slot.holder,
    ).toBe('cmd-bb');
  });

  it('never settles over a delivery or a live claim of another dispatcher', () => {
    const delivered: DeliveryRecord = { state: 'delivered', template: T, messageId: 'm', at: 1 };
    const settle = (owner: string, now = 5): DeliveryAction => ({
      type: 'settle',
      state: 'suppressed',
      code: 'x',
      owner,
      now,
    });
    expect(step({ record: delivered, holder: CMD }, settle('a')).outcome).toBe('delivered');
    expect(step({ record: sending('b', 'claimed', 500), holder: CMD }, settle('a')).outcome).toBe('busy');
    // a dead dispatcher's ending may have been delivered: it is not suppressed or failed over
    expect(step({ record: sending('b', 'ending', 500), holder: CMD }, settle('a', 600)).outcome).toBe(
      'uncertain',
    );
    expect(step({ record: sending('a', 'ending', 500), holder: CMD }, settle('a')).outcome).toBe('ok');
  });

  it('for any interleaving of dispatchers that crash and recover, the data is ended by one claim at a time and a delivery is final', () => {
    const owners = ['a', 'b', 'c'];
    const actionArb = fc.record({
      owner: fc.constantFrom(...owners),
      kind: fc.constantFrom('claim', 'end', 'release', 'delivered', 'settle'),
      advance: fc.integer({ min: 0, max: 1500 }),
    });
    fc.assert(
      fc.property(fc.array(actionArb, { maxLength: 40 }), (actions) => {
        let slot = empty;
        let now = 0;
        let endedBy: string | null = null; // who may be ending the data right now
        let delivered = false;
        for (const a of actions) {
          now += a.advance;
          const action: DeliveryAction =
            a.kind === 'claim'
              ? claim(a.owner, now)
              : a.kind === 'end'
                ? end(a.owner, now)
                : a.kind === 'release'
                  ? { type: 'release', owner: a.owner }
                  : a.kind === 'delivered'
                    ? { type: 'delivered', now, messageId: 'm' }
                    : { type: 'settle', state: 'failed', code: 'x', owner: a.owner, now };
          // only the one that ended the data can learn of an acceptance
          if (a.kind === 'delivered' && endedBy !== a.owner) continue;
          const before = slot;
          const result = step(slot, action);
          slot = result.slot;
          if (a.kind === 'end' && result.outcome === 'ok') {
            // nobody else can be ending the data of this command at the same time
            if (endedBy !== null && endedBy !== a.owner) return false;
            endedBy = a.owner;
          }
          if (a.kind === 'release' && result.outcome === 'ok') endedBy = null;
          if (
            (result.outcome === 'claimed' || result.outcome === 'recovered') &&
            endedBy !== null &&
            endedBy !== a.owner
          )
            return false; // a new sender while another may have got the message accepted
          if (result.outcome === 'claimed' || result.outcome === 'recovered') endedBy = null;
          if (a.kind === 'delivered') delivered = true;
          if (delivered && before.record?.state === 'delivered' && slot.record?.state !== 'delivered')
            return false;
        }
        return true;
      }),
    );
  });
  it('an action’s outcome is typed by the action', () => {
    expectTypeOf(deliveryStep(empty, CMD, T, claim('a', 0)).outcome).toEqualTypeOf<ClaimOutcome>();
    expectTypeOf(deliveryStep(empty, CMD, T, end('a', 0)).outcome).toEqualTypeOf<EndOutcome>();
    expectTypeOf(
      deliveryStep(empty, CMD, T, { type: 'delivered', now: 0, messageId: 'm' }).outcome,
    ).toEqualTypeOf<DeliveredOutcome>();
    expectTypeOf(
      deliveryStep(empty, CMD, T, { type: 'release', owner: 'a' }).outcome,
    ).toEqualTypeOf<ReleaseOutcome>();
    expectTypeOf(
      deliveryStep(empty, CMD, T, { type: 'settle', state: 'failed', code: 'x', owner: 'a', now: 0 }).outcome,
    ).toEqualTypeOf<SettleOutcome>();
  });

  it('for any slot and action, the outcome is one of that action’s, something is written exactly when the action takes effect, and the template only ever passes to this command or to nobody', () => {
    // the type of each outcome is asserted once, in deliveryStep; this checks the assertion at run time
    const OUTCOMES: { readonly [K in keyof DeliveryOutcomes]: readonly DeliveryOutcomes[K][] } = {
      claim: ['claimed', 'recovered', 'delivered', 'settled', 'busy', 'uncertain', 'template_taken'],
      end: ['ok', 'lost'],
      delivered: ['ok', 'already'],
      release: ['ok', 'lost'],
      settle: ['ok', 'delivered', 'busy', 'uncertain'],
    };
    const WRITES = new Set(['ok', 'claimed', 'recovered']);
    const owner = fc.constantFrom('a', 'b');
    const time = fc.integer({ min: 0, max: 3000 });
    const recordArb: fc.Arbitrary<DeliveryRecord | null> = fc.oneof(
      fc.constant(null),
      fc.record({
        state: fc.constant('sending' as const),
        phase: fc.constantFrom('claimed' as const, 'ending' as const),
        owner,
        leaseUntil: time,
        template: fc.constant(T),
        attempts: fc.integer({ min: 1, max: 5 }),
      }),
      fc.record({
        state: fc.constant('delivered' as const),
        template: fc.constant(T),
        messageId: fc.constant('m'),
        at: time,
      }),
      fc.record({
        state: fc.constantFrom(...SETTLED_STATES),
        template: fc.constant(T),
        code: fc.constant('x'),
        at: time,
      }),
    );
    const actionArb: fc.Arbitrary<DeliveryAction> = fc.oneof(
      fc.record({ type: fc.constant('claim' as const), owner, now: time, leaseMs: fc.constant(LEASE) }),
      fc.record({ type: fc.constant('end' as const), owner, now: time, leaseMs: fc.constant(LEASE) }),
      fc.record({ type: fc.constant('delivered' as const), now: time, messageId: fc.constant('m') }),
      fc.record({ type: fc.constant('release' as const), owner }),
      fc.record({
        type: fc.constant('settle' as const),
        state: fc.constantFrom(...SETTLED_STATES),
        code: fc.constant('x'),
        owner,
        now: time,
      }),
    );
    fc.assert(
      fc.property(recordArb, fc.constantFrom(null, CMD, 'cmd-bb'), actionArb, (record, holder, action) => {
        const { outcome, write } = deliveryStep({ record, holder }, CMD, T, action);
        expect(OUTCOMES[action.type] as readonly string[]).toContain(outcome);
        expect(write !== undefined).toBe(WRITES.has(outcome));
        if (write !== undefined) expect([holder, CMD, null]).toContain(write.holder);
      }),
    );
  });
});
