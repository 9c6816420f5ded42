import type { EventType } from '@tactful/events';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyCustomerState } from './customer-state';
import { readTally, tallyField, tallyStep } from './journey-tally';
import { versionStageField } from './version-tally';
import { DAY, Timeline, WHITEPAPER_FORM, auditsOf, catalogOf, whitepaper } from './test-kit';

const stage = (s: string) => tallyField('stage', 'whitepaper-nurture', s);
const count = (kind: 'active' | 'entered' | 'completed' | 'halted') => tallyField(kind, 'whitepaper-nurture');
const v3 = (s: string) => versionStageField('whitepaper-nurture', 3, s);

/** Runs `act` (events, clock moves) and sums the deltas of every step it caused, as the orchestrator commits them. */
function tallied(timeline: Timeline, act: () => void): Record<string, number> {
  const sum: Record<string, number> = {};
  const apply = timeline.applyEvent.bind(timeline);
  timeline.applyEvent = (event) => {
    const before = timeline.state;
    const result = apply(event);
    for (const [field, delta] of Object.entries(tallyStep(before, result.state, auditsOf(result.effects))))
      sum[field] = (sum[field] ?? 0) + delta;
    return result;
  };
  try {
    act();
  } finally {
    timeline.applyEvent = apply;
  }
  return Object.fromEntries(Object.entries(sum).filter(([, delta]) => delta !== 0));
}

describe('tallyStep', () => {
  it('moves a customer through the stages and counts entries and halts once', () => {
    const timeline = new Timeline(catalogOf(whitepaper()));
    expect(tallied(timeline, () => timeline.apply('form.submitted', WHITEPAPER_FORM))).toEqual({
      [count('active')]: 1,
      [stage('welcome')]: 1,
      [v3('welcome')]: 1,
      [count('entered')]: 1,
    });
    expect(tallied(timeline, () => timeline.advance(3 * DAY))).toEqual({
      [stage('welcome')]: -1,
      [stage('checkIn')]: 1,
      [v3('welcome')]: -1,
      [v3('checkIn')]: 1,
    });
    expect(tallied(timeline, () => timeline.apply('email.replied', { text: 'no' }))).toEqual({
      [count('active')]: -1,
      [stage('checkIn')]: -1,
      [v3('checkIn')]: -1,
      [count('halted')]: 1,
    });
    // a step that changes nothing counts nothing
    expect(tallied(timeline, () => timeline.apply('page.viewed', { url: 'https://x.example/' }))).toEqual({});
  });

  const steps = fc.array(
    fc.oneof(
      fc.constantFrom<[EventType, Record<string, unknown>]>(
        ['form.submitted', WHITEPAPER_FORM],
        ['email.opened', {}],
        ['email.replied', {}],
        ['purchase.completed', { orderId: 'o', items: [{ sku: 'sku-a' }] }],
        ['contact.opted_in', {}],
      ),
      fc.integer({ min: 1, max: 6 * DAY }),
    ),
    { maxLength: 25 },
  );

  it('sums, over any life, to the counts read off the final state and the audit trail', () => {
    fc.assert(
      fc.property(steps, (life) => {
        const timeline = new Timeline(catalogOf(whitepaper({ reentry: 'always', products: ['sku-a'] })));
        const totals: Record<string, number> = {};
        for (const move of life) {
          const deltas = tallied(timeline, () =>
            typeof move === 'number' ? timeline.advance(move) : timeline.apply(move[0], move[1]),
          );
          for (const [field, delta] of Object.entries(deltas)) totals[field] = (totals[field] ?? 0) + delta;
        }
        const audits = auditsOf(timeline.effects);
        const expected = tallyStep(emptyCustomerState(timeline.state.customerId), timeline.state, audits);
        expect(Object.fromEntries(Object.entries(totals).filter(([, v]) => v !== 0))).toEqual(expected);
      }),
    );
  });
});

describe('readTally', () => {
  it('groups the counters by journey and ignores counters it did not name', () => {
    expect(
      readTally({
        [count('active')]: 2,
        [stage('welcome')]: 1,
        [stage('checkIn')]: 1,
        [count('entered')]: 3,
        [count('halted')]: 1,
        [tallyField('entered', 'newsletter')]: 4,
        [tallyField('heldOut', 'newsletter')]: 1,
        [tallyField('converted', 'newsletter')]: 2,
        'not json': 7,
        '["stage","no-stage-name"]': 1,
        '["unknown","x"]': 1,
      }),
    ).toEqual([
      {
        journey: 'newsletter',
        active: 0,
        stages: [],
        entered: 4,
        completed: 0,
        halted: 0,
        heldOut: 1,
        converted: 2,
      },
      {
        journey: 'whitepaper-nurture',
        active: 2,
        stages: [
          { stage: 'checkIn', customers: 1 },
          { stage: 'welcome', customers: 1 },
        ],
        entered: 3,
        completed: 0,
        halted: 1,
        heldOut: 0,
        converted: 0,
      },
    ]);
  });
});
