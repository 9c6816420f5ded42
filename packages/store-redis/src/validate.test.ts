import { describe, expect, it } from 'vitest';
import { emptyAppliedLog } from './applied-log';
import { commitFrom } from './commit-builder';
import { loadedFrom } from './customer-store';
import { messageFor, timerFor } from './test-support';
import { commitProblems, customerIdProblems, ledgerViolation, timerRefProblems } from './validate';

const fresh = (customerId: string) => loadedFrom(customerId, null, []);

describe('commit validation', () => {
  it('accepts a full commit', () => {
    const commit = commitFrom(fresh('c-1'), {
      eventId: 'e-1',
      ledgerAdd: ['wp-welcome'],
      timersAdd: [timerFor('c-1', 't-1', 1000, { stage: 'welcome' })],
      outbox: [messageFor('c-1', 'cmd-01')],
      counters: { '["stage","wp","welcome"]': 1, '["stage","wp","start"]': -1 },
    });
    expect(commitProblems(commit)).toEqual([]);
  });

  it('lists every problem at once', () => {
    const commit = {
      ...commitFrom(fresh('c'), {
        ledgerAdd: [''],
        timersAdd: [{ ...timerFor('other', 't-1', 1.5), journey: '' }, timerFor('c', 't\u0000', 0)],
        outbox: [
          messageFor('c', 'cmd-1'),
          messageFor('c', 'cmd-1'),
          { id: '', topic: '', key: 'x', value: '' },
        ],
        clearHalts: [''],
        counters: { '': 1, half: 0.5, huge: 2 ** 60 },
      }),
      state: undefined,
    };
    commit.timers.push(commit.timers[0]!);
    const problems = commitProblems(commit);
    for (const expected of [
      'state must be a JSON value',
      'ledgerAdd must hold non-empty strings',
      "timers[0].customerId must be the batch's customer",
      'timers[0].journey must be a non-empty string',
      'timers[0].dueAt must be epoch milliseconds (an integer ≥ 0)',
      'timers[1].id must be a non-empty string without NUL',
      'timers has timer "t-1" twice',
      'clearHalts must hold non-empty strings',
      'outbox[2].id must be a non-empty string',
      'outbox[2].topic must be a non-empty string',
      'outbox[2].key must be the customer id',
      'outbox has message "cmd-1" twice',
      'counters must not have an empty name',
      'counters["half"] must be an integer',
      'counters["huge"] must be an integer',
    ])
      expect(problems).toContain(expected);
  });

  it('finds a template sent before or twice in one commit', () => {
    const loaded = { ...fresh('c'), ledger: ['wp-welcome'] };
    expect(ledgerViolation(commitFrom(loaded, { ledgerAdd: ['wp-checkin'] }))).toBeUndefined();
    expect(ledgerViolation(commitFrom(loaded, { ledgerAdd: ['wp-welcome'] }))).toBe('wp-welcome');
    expect(ledgerViolation(commitFrom(loaded, { ledgerAdd: ['a', 'a'] }))).toBe('a');
  });

  it('refuses customer ids that UTF-8 cannot keep apart', () => {
    expect(customerIdProblems('cust-\u{1F600}')).toEqual([]);
    expect(customerIdProblems('cust-\uD800')).toHaveLength(1);
    expect(customerIdProblems(42)).toHaveLength(1);
  });

  it('checks timer references', () => {
    expect(timerRefProblems([{ customerId: 'c', timerId: 't', dueAt: 5 }])).toEqual([]);
    expect(timerRefProblems([{ customerId: '', timerId: '', dueAt: NaN }])).toHaveLength(3);
    expect(emptyAppliedLog().offsets.size).toBe(0);
  });
});
