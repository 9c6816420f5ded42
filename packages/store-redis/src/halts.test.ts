import { describe, expect, it } from 'vitest';
import type { HaltMark } from '@tactful/events';
import { emptyAppliedLog, withApplied } from './applied-log';
import { isOptedOut, readHaltMarks, sortHalts, splitHalts } from './halts';

const reply: HaltMark = { eventId: 'e-2', type: 'email.replied', at: 2000, journeys: ['a', 'b'] };
const purchase: HaltMark = { eventId: 'e-1', type: 'purchase.completed', at: 1000, journeys: ['c'] };
const optOut: HaltMark = { eventId: 'e-3', type: 'contact.opted_out', at: 3000, optOut: true };

describe('halt marks', () => {
  it('tells an opt-out from other halts', () => {
    expect(isOptedOut([reply, purchase])).toBe(false);
    expect(isOptedOut([reply, optOut])).toBe(true);
  });

  it('orders marks by time, then event id', () => {
    const tie = { ...purchase, eventId: 'e-0' };
    expect(sortHalts([optOut, reply, purchase, tie]).map((m) => m.eventId)).toEqual([
      'e-0',
      'e-1',
      'e-2',
      'e-3',
    ]);
  });

  it('reads marks as stored, with only the fields of a mark, and refuses a damaged one', () => {
    // the JSON a mark was always stored as: `at` in epoch milliseconds, the position's offset a string
    const stored =
      '{"eventId":"e-2","type":"email.replied","at":2000,"journeys":["a","b"],"position":{"partition":3,"offset":"41"}}';
    expect(readHaltMarks([stored, JSON.stringify({ ...optOut, extra: 1 })], 'c')).toEqual([
      { ...reply, position: { partition: 3, offset: '41' } },
      optOut,
    ]);
    expect(() => readHaltMarks(['{"eventId":"e","type":"email.replied","at":"2026-01-01"}'], 'c')).toThrow(
      /halt mark of c is damaged/,
    );
    expect(() => readHaltMarks(['{'], 'c')).toThrow(/not JSON/);
  });

  it('splits marks into live ones, oldest first, and stale ones whose events the record applied', () => {
    let applied = withApplied(emptyAppliedLog(), 'e-other', { partition: 0, offset: '10' }, 4);
    applied = withApplied(applied, 'e-1', undefined, 4);
    const atPosition = (mark: HaltMark, offset: string): HaltMark => ({
      ...mark,
      position: { partition: 0, offset },
    });
    const marks = [optOut, atPosition(reply, '10'), purchase, atPosition({ ...reply, eventId: 'e-4' }, '11')];
    const { live, stale } = splitHalts(applied, marks);
    // e-2 by its position (at or before the newest applied offset), e-1 by its id among the recent ones
    expect(stale.map((m) => m.eventId)).toEqual(['e-2', 'e-1']);
    expect(live.map((m) => m.eventId)).toEqual(['e-4', 'e-3']);
    expect(splitHalts(emptyAppliedLog(), marks).stale).toEqual([]);
  });
});
