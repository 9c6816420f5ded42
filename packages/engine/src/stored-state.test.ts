import { describe, expect, it } from 'vitest';
import { CustomerState, emptyCustomerState } from './customer-state';
import { compactState, stateOfStored } from './stored-state';

describe('compactState', () => {
  it('keeps only the customer id of someone we know nothing about', () => {
    const empty = emptyCustomerState('ann');
    expect(compactState(empty)).toEqual({ customerId: 'ann' });
    expect(CustomerState.parse(compactState(empty))).toEqual(empty);
  });

  it('leaves out the default channel of a send and the contact fields at their default, keeps the rest', () => {
    const state = CustomerState.parse({
      customerId: 'bob',
      contact: {
        sends: [
          { at: '2026-11-23T12:00:00.000Z', journey: 'j', template: 't1', channel: 'email' },
          { at: '2026-11-23T13:00:00.000Z', journey: 'j', template: 't2', channel: 'sms' },
        ],
        timezone: 'Europe/Lisbon',
        optedOut: [],
      },
      seq: 3,
    });
    expect(compactState(state)).toEqual({
      customerId: 'bob',
      contact: {
        sends: [
          { at: '2026-11-23T12:00:00.000Z', journey: 'j', template: 't1' },
          { at: '2026-11-23T13:00:00.000Z', journey: 'j', template: 't2', channel: 'sms' },
        ],
        timezone: 'Europe/Lisbon',
      },
      seq: 3,
    });
    expect(CustomerState.parse(compactState(state))).toEqual(state);
  });

  it('keeps a field a newer version wrote, and an object with anything but defaults in it', () => {
    const state = CustomerState.parse({
      customerId: 'cyd',
      haltFences: {
        journeys: {},
        all: { at: '2026-11-23T12:00:00.000Z', eventId: 'e1', type: 'contact.opted_out' },
      },
      fromTheFuture: { x: 1 },
    });
    const stored = compactState(state);
    expect(stored.fromTheFuture).toEqual({ x: 1 });
    expect(stored.haltFences).toEqual(state.haltFences);
    expect(CustomerState.parse(stored)).toEqual(state);
  });
});

describe('stateOfStored', () => {
  it('reads the stored form back with its defaults, and an empty state when nothing is stored', () => {
    const state = { ...emptyCustomerState('ann'), templatesSent: ['a'] };
    expect(stateOfStored({ customerId: 'ann', state: compactState(state), ledger: ['a'] })).toEqual(state);
    expect(stateOfStored({ customerId: 'ann', state: null, ledger: [] })).toEqual(emptyCustomerState('ann'));
  });

  it("merges the ledger into the state's templates, sorted, so a template the ledger holds is never forgotten", () => {
    const stored = { ...compactState(emptyCustomerState('bob')), templatesSent: ['b', 'z'] };
    expect(stateOfStored({ customerId: 'bob', state: stored, ledger: ['a', 'b'] }).templatesSent).toEqual([
      'a',
      'b',
      'z',
    ]);
    expect(stateOfStored({ customerId: 'bob', state: null, ledger: ['a'] }).templatesSent).toEqual(['a']);
  });

  it('refuses a stored state the schema refuses', () => {
    expect(() => stateOfStored({ customerId: 'cy', state: { customerId: 7 }, ledger: [] })).toThrow();
  });
});
