import { describe, expect, it } from 'vitest';
import { batchProblems, customerIdProblems, haltMarkProblems, timerRefProblems, toJson } from './validate';
import { batchFor, commandFor, timerFor } from './test-support';

describe('batch validation', () => {
  it('accepts a full batch', () => {
    const batch = batchFor('c-1', 'e-1', 0, {
      ledgerAdd: ['wp-welcome'],
      timersAdd: [timerFor('c-1', 't-1', 1000, { stage: 'welcome' })],
      timersCancel: ['t-0'],
      outbox: [commandFor('c-1', 'cmd-01')],
      audit: [{ decision: 'sent' }],
      haltsSeen: 0,
      counters: { '["stage","wp","welcome"]': 1, '["stage","wp","start"]': -1 },
    });
    expect(batchProblems(batch)).toEqual([]);
  });

  it('lists every problem at once', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const batch = batchFor('', '', -1, {
      state: undefined,
      ledgerAdd: [''],
      timersAdd: [{ ...timerFor('other', 't-1', 1.5), journey: '' }, timerFor('', 't-1', 0, cyclic)],
      timersCancel: [''],
      outbox: [commandFor('c', 'cmd-1'), commandFor('c', 'cmd-1'), { id: '' }],
      audit: [null as unknown as Record<string, unknown>],
      haltsSeen: -2,
      counters: { '': 1, half: 0.5, huge: 2 ** 60 },
    });
    const problems = batchProblems(batch);
    for (const expected of [
      'customerId must be a non-empty string',
      'expectedVersion must be an integer ≥ 0',
      'eventId must be a non-empty string',
      'state must be JSON-serialisable',
      'ledgerAdd must hold non-empty strings',
      "timersAdd[0].customerId must be the batch's customer",
      'timersAdd[0].journey must be a non-empty string',
      'timersAdd[0].dueAt must be epoch milliseconds (an integer ≥ 0)',
      'timersAdd[1].payload must be JSON-serialisable',
      'timersAdd has timer "t-1" twice',
      'timersCancel must hold non-empty strings',
      'outbox[2].id must be a non-empty string',
      'outbox has command "cmd-1" twice',
      'audit[0] must be a JSON object',
      'haltsSeen must be an integer ≥ 0',
      'counters must not have an empty name',
      'counters["half"] must be an integer',
      'counters["huge"] must be an integer',
    ])
      expect(problems).toContain(expected);
  });

  it('refuses customer ids that UTF-8 cannot keep apart', () => {
    expect(customerIdProblems('cust-\u{1F600}')).toEqual([]);
    expect(customerIdProblems('cust-\uD800')).toHaveLength(1);
    expect(customerIdProblems(42)).toHaveLength(1);
  });

  it('checks halt marks and timer references', () => {
    expect(haltMarkProblems({ eventId: 'e', type: 'email.replied', at: 1, journeys: ['a'] })).toEqual([]);
    expect(
      haltMarkProblems({
        eventId: '',
        type: '',
        at: -1,
        journeys: [''],
        optOut: 'yes' as unknown as boolean,
      }),
    ).toHaveLength(5);
    expect(timerRefProblems([{ customerId: 'c', timerId: 't', dueAt: 5 }])).toEqual([]);
    expect(timerRefProblems([{ customerId: '', timerId: '', dueAt: NaN }])).toHaveLength(3);
  });

  it('has no JSON for values JSON cannot carry', () => {
    expect(toJson(undefined)).toBeUndefined();
    expect(toJson(10n)).toBeUndefined();
    expect(toJson({ a: [1] })).toBe('{"a":[1]}');
  });

  it('reports a state nested deeper than the call stack as a problem instead of throwing a RangeError', () => {
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(toJson(deep)).toBeUndefined();
    const batch = batchFor('c-1', 'e-1', 0, { state: { journeys: {}, data: deep } });
    expect(batchProblems(batch)).toEqual(['state must be JSON-serialisable']);
  });
});
