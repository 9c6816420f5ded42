import { inHoldout, inSplit } from '@tactful/journeys';
import { describe, expect, it } from 'vitest';
import { emptyCustomerState } from './customer-state';
import { tallyStep } from './journey-tally';
import { DAY, HOUR, Timeline, auditsOf, catalogOf, templatesOfSends } from './test-kit';

/** A journey with a holdout, a goal and a split on its first wait, with the fields a test varies. */
function experiment(options: { holdout?: number; haltOn?: string[]; within?: string } = {}): string {
  return `
id: spring
version: 2
name: Spring offer
trigger: { event: form.submitted, where: { formId: spring } }
reentry: always
haltOn: ${JSON.stringify(options.haltOn ?? ['email.replied'])}
${options.holdout === undefined ? '' : `holdout: ${options.holdout}`}
goal: { event: purchase.completed, within: ${options.within ?? 'P14D'} }
machine:
  initial: welcome
  states:
    welcome:
      entry: { type: send, params: { template: sp-welcome } }
      after:
        P1D:
          - { target: offerA, guard: { type: split, params: { percent: 50 } } }
          - { target: offerB }
    offerA:
      entry: { type: send, params: { template: sp-offer-a } }
      after: { P2D: done }
    offerB:
      entry: { type: send, params: { template: sp-offer-b } }
      after: { P2D: done }
    done: { type: final }
`;
}

const FORM = { formId: 'spring', email: 'ann@example.com' };
const PURCHASE = { orderId: 'o-1', items: [{ sku: 'sku-1' }] };

/** Customer ids on each side of the 50 % split and of a 50 % holdout of `spring`. */
const people = Array.from({ length: 200 }, (_, i) => `cust-${i}`);
const inA = people.find((id) => inSplit({ percent: 50 }, 'spring', id) && !inHoldout(50, 'spring', id))!;
const inB = people.find((id) => !inSplit({ percent: 50 }, 'spring', id) && !inHoldout(50, 'spring', id))!;
const heldOut = people.find((id) => inHoldout(50, 'spring', id))!;

describe('splits', () => {
  it.each([
    [inA, 'offerA', 'sp-offer-a'],
    [inB, 'offerB', 'sp-offer-b'],
  ])(
    '%s takes the side its hash says, records it, and every later decision names it',
    (id, stage, template) => {
      const timeline = new Timeline(catalogOf(experiment()), undefined, { customerId: id });
      const entered = timeline.apply('form.submitted', FORM);
      expect(auditsOf(entered.effects).every((a) => a.branch === undefined && a.entry === 1)).toBe(true);
      const moved = timeline.advance(DAY);
      expect(templatesOfSends(moved)).toEqual([template]);
      expect(timeline.state.active.spring).toMatchObject({ stage, path: [stage] });
      expect(auditsOf(moved).map((a) => [a.decision, a.branch, a.entry])).toEqual([['sent', stage, 1]]);
      const ended = timeline.advance(2 * DAY);
      expect(auditsOf(ended).map((a) => [a.decision, a.code, a.branch])).toEqual([
        ['completed', 'final_state', stage],
      ]);
    },
  );

  it('gives a redelivered or replayed customer the same branch, from any state it is replayed from', () => {
    for (const id of [inA, inB]) {
      const branches = [1, 2, 3].map(() => {
        const timeline = new Timeline(catalogOf(experiment()), undefined, { customerId: id });
        timeline.apply('form.submitted', FORM);
        timeline.advance(DAY);
        return timeline.state.active.spring?.path;
      });
      expect(new Set(branches.map((b) => JSON.stringify(b))).size).toBe(1);
    }
  });
});

describe('holdout', () => {
  it('enters and tracks a held-out person, and sends nothing: no budget, no ledger', () => {
    const timeline = new Timeline(catalogOf(experiment({ holdout: 50 })), undefined, { customerId: heldOut });
    const entered = timeline.apply('form.submitted', FORM);
    expect(auditsOf(entered.effects).map((a) => [a.decision, a.code, a.holdout])).toEqual([
      ['entered', 'trigger_matched', true],
      ['suppressed', 'holdout', true],
    ]);
    expect(auditsOf(entered.effects)[0]?.reason).toContain('in its 50% holdout: tracked, sent nothing');
    expect(templatesOfSends(entered.effects)).toEqual([]);
    const later = timeline.advance(3 * DAY);
    expect(templatesOfSends(later)).toEqual([]);
    expect(auditsOf(later).map((a) => [a.decision, a.code])).toEqual([
      ['suppressed', 'holdout'],
      ['completed', 'final_state'],
    ]);
    expect(timeline.state.templatesSent).toEqual([]);
    expect(timeline.state.contact).toEqual(emptyCustomerState(heldOut).contact);
    expect(timeline.state.history.spring?.outcome).toBe('completed');
  });

  it('lets the others of the same journey be sent to as usual', () => {
    const timeline = new Timeline(catalogOf(experiment({ holdout: 50 })), undefined, { customerId: inA });
    expect(templatesOfSends(timeline.apply('form.submitted', FORM).effects)).toEqual(['sp-welcome']);
  });
});

describe('goals', () => {
  it('counts a matching event within the window once, for the entry and its branch, and ends nothing', () => {
    const timeline = new Timeline(catalogOf(experiment()), undefined, { customerId: inA });
    timeline.apply('form.submitted', FORM);
    timeline.advance(DAY);
    const bought = timeline.apply('purchase.completed', PURCHASE);
    expect(auditsOf(bought.effects)).toMatchObject([
      {
        decision: 'completed',
        code: 'goal_reached',
        journey: 'spring',
        journeyVersion: 2,
        entry: 1,
        branch: 'offerA',
      },
    ]);
    expect(timeline.state.active.spring?.stage).toBe('offerA');
    expect(auditsOf(timeline.apply('purchase.completed', { ...PURCHASE, orderId: 'o-2' }).effects)).toEqual(
      [],
    );
    expect(tallyStep(emptyCustomerState(inA), emptyCustomerState(inA), auditsOf(bought.effects))).toEqual({
      '["converted","spring"]': 1,
    });
  });

  it('counts after the journey ended, on the side the entry took, while the window lasts', () => {
    const timeline = new Timeline(catalogOf(experiment({ holdout: 50 })), undefined, { customerId: heldOut });
    timeline.apply('form.submitted', FORM);
    timeline.advance(3 * DAY);
    expect(timeline.state.active.spring).toBeUndefined();
    timeline.advance(10 * DAY);
    expect(auditsOf(timeline.apply('purchase.completed', PURCHASE).effects)).toMatchObject([
      { decision: 'completed', code: 'goal_reached', holdout: true, branch: expect.any(String) },
    ]);
    expect(timeline.state.goals).toBeUndefined();
  });

  it('does not count an event after the window, and forgets the watch', () => {
    const timeline = new Timeline(catalogOf(experiment({ within: 'PT12H' })), undefined, { customerId: inB });
    timeline.apply('form.submitted', FORM);
    timeline.advance(12 * HOUR + 1);
    expect(auditsOf(timeline.apply('purchase.completed', PURCHASE).effects)).toEqual([]);
    expect(timeline.state.goals).toBeUndefined();
  });

  it('is reached before a halt by the same event when haltOn lists it too', () => {
    const catalog = catalogOf(experiment({ haltOn: ['purchase.completed'] }));
    const timeline = new Timeline(catalog, undefined, { customerId: inB });
    timeline.apply('form.submitted', FORM);
    expect(auditsOf(timeline.apply('purchase.completed', PURCHASE).effects).map((a) => a.code)).toEqual([
      'goal_reached',
      'halt_on',
    ]);
  });

  it('is not reached by the event that enters the journey', () => {
    const goalIsTrigger = experiment().replace(
      'goal: { event: purchase.completed, within: P14D }',
      'goal: { event: form.submitted, within: P14D }',
    );
    const timeline = new Timeline(catalogOf(goalIsTrigger), undefined, { customerId: inB });
    expect(auditsOf(timeline.apply('form.submitted', FORM).effects).map((a) => a.code)).not.toContain(
      'goal_reached',
    );
    expect(auditsOf(timeline.apply('form.submitted', FORM).effects).map((a) => a.code)).toContain(
      'goal_reached',
    );
  });

  it('watches the newest entry only: a re-entry starts its own window', () => {
    const timeline = new Timeline(catalogOf(experiment()), undefined, { customerId: inB });
    timeline.apply('form.submitted', FORM);
    timeline.advance(3 * DAY);
    timeline.apply('form.submitted', FORM);
    expect(timeline.state.goals?.spring?.entry).toBe(timeline.state.active.spring?.entry);
    const [reached] = auditsOf(timeline.apply('purchase.completed', PURCHASE).effects);
    expect(reached?.entry).toBe(timeline.state.active.spring?.entry);
  });
});
