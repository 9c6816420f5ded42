import { describe, expect, it } from 'vitest';
import { TactfulError } from '@tactful/events';
import { emptyAppliedLog, withApplied } from './applied-log';
import { decodeRecord, encodeRecord, recordVersion } from './record-codec';
import { timerFor } from './test-support';

describe('the customer record', () => {
  const applied = withApplied(emptyAppliedLog(), 'evt-1', { partition: 4, offset: '99' }, 8);

  it('reads back the version, the state, the ledger, the timers and the applied log', () => {
    const record = {
      state: { customerId: 'ann', templatesSent: ['a', 'b'], profile: { email: 'ann@example.com' } },
      ledger: ['b', 'a'],
      timers: [
        timerFor('ann', 'tmr-1', 1000, { kind: 'after', stage: 'welcome' }),
        timerFor('ann', 'tmr-2', 2000),
      ],
      applied,
    };
    const bytes = encodeRecord(12, record, 'ann');
    expect(recordVersion(bytes, 'ann')).toBe(12);
    expect(bytes.subarray(0, 3).toString()).toBe('12:');
    const back = decodeRecord(bytes, 'ann');
    expect(back.version).toBe(12);
    expect(back.record).toEqual({ ...record, ledger: ['a', 'b'] });
  });

  it('stores the customer id and a sorted templatesSent once, and only when they are copies', () => {
    const copies = { customerId: 'ann', templatesSent: ['a', 'b'], x: 1 };
    const own = { customerId: 'someone', templatesSent: ['b', 'a'], x: 1 };
    const small = encodeRecord(1, { state: copies, ledger: ['a', 'b'], timers: [], applied }, 'ann');
    const large = encodeRecord(1, { state: own, ledger: ['a', 'b'], timers: [], applied }, 'ann');
    expect(small.length).toBeLessThan(large.length);
    expect(decodeRecord(small, 'ann').record.state).toEqual(copies);
    expect(decodeRecord(large, 'ann').record.state).toEqual(own);
    expect(
      decodeRecord(encodeRecord(1, { state: 'plain', ledger: [], timers: [], applied }, 'ann'), 'ann').record
        .state,
    ).toBe('plain');
  });

  it('refuses damaged bytes with the customer named', () => {
    expect(() => decodeRecord(Buffer.from('x:'), 'ann')).toThrow(/record of ann is damaged/);
    expect(() => decodeRecord(Buffer.from('3:\x93\x01\x02\x03', 'latin1'), 'ann')).toThrow(
      /record of ann is damaged/,
    );
  });

  it('refuses a state nested deeper than the call stack with an internal error naming the customer, not a RangeError', () => {
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const encode = () => encodeRecord(1, { state: { data: deep }, ledger: [], timers: [], applied }, 'ann');
    expect(encode).toThrow(TactfulError);
    expect(encode).toThrow('the record of ann cannot be stored');
  });
});
