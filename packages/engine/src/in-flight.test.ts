import { describe, expect, it } from 'vitest';
import { emptyCustomerState } from './customer-state';
import { createInFlightCounter } from './in-flight';
import { catalogOf, whitepaper } from './test-kit';

const v3 = whitepaper({ version: 3 }).replace(
  /^machine:/m,
  'migrate: { from: 2, states: { checkIn: checkIn } }\nmachine:',
);

function stateIn(customerId: string, version: number, stage: string) {
  const state = emptyCustomerState(customerId);
  return {
    ...state,
    active: {
      'whitepaper-nurture': {
        journey: 'whitepaper-nurture',
        version,
        entry: 1,
        enteredAt: '2026-11-23T12:00:00.000Z',
        stage,
        timers: {},
        trigger: { eventId: 'e', type: 'form.submitted', data: {} },
      },
    },
  };
}

describe('customers in flight', () => {
  it('counts per journey, version and stage, and says which a migrate moves and which version is gone', () => {
    const counter = createInFlightCounter();
    counter.add(stateIn('a', 3, 'welcome'));
    counter.add(stateIn('b', 2, 'checkIn'));
    counter.add(stateIn('c', 2, 'checkIn'));
    counter.add(stateIn('d', 2, 'welcome'));
    counter.add(emptyCustomerState('e'));
    // a state stored before stages were kept holds XState's snapshot
    const { stage: _stage, ...old } = stateIn('f', 3, 'x').active['whitepaper-nurture'];
    counter.add({
      customerId: 'f',
      active: { 'whitepaper-nurture': { ...old, snapshot: { value: 'checkIn' } } },
    });
    counter.add('not a state');
    expect(counter.customers).toBe(5);

    expect(counter.result(catalogOf(v3))).toEqual([
      {
        journey: 'whitepaper-nurture',
        version: 3,
        customers: 2,
        loaded: true,
        stages: [
          { stage: 'checkIn', customers: 1 },
          { stage: 'welcome', customers: 1 },
        ],
      },
      {
        journey: 'whitepaper-nurture',
        version: 2,
        customers: 3,
        loaded: false,
        stages: [
          { stage: 'checkIn', customers: 2, movesTo: { version: 3, stage: 'checkIn' } },
          { stage: 'welcome', customers: 1 },
        ],
      },
    ]);
  });
});
