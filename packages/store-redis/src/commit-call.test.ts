import { describe, expect, it } from 'vitest';
import { commitCall } from './commit-call';
import { timerMember } from './keys';
import { batchFor, commandFor, timerFor } from './test-support';

describe('commitCall', () => {
  it('lays out keys and counted argument groups as commit.lua reads them', () => {
    const timer = timerFor('c-1', 't-2', 5000);
    const command = commandFor('c-1', 'cmd-0a');
    const { keys, args } = commitCall(
      'ns',
      7,
      batchFor('c-1', 'e-1', 4, {
        state: { a: [] },
        ledgerAdd: ['x', 'y'],
        timersCancel: ['t-1'],
        timersAdd: [timer],
        outbox: [command],
        audit: [{ decision: 'sent' }],
        counters: { '["stage","wp","welcome"]': 1, unchanged: 0, '["stage","wp","checkIn"]': -1 },
      }),
      { processedIdsKept: 100, auditKept: 50 },
    );
    expect(keys).toEqual([
      'ns:{s7}:c:c-1:state',
      'ns:{s7}:c:c-1:events',
      'ns:{s7}:c:c-1:ledger',
      'ns:{s7}:c:c-1:outbox',
      'ns:{s7}:c:c-1:outbox-order',
      'ns:{s7}:c:c-1:audit',
      'ns:{s7}:c:c-1:timers',
      'ns:{s7}:c:c-1:halts',
      'ns:{s7}:timers',
      'ns:{s7}:outbox-pending',
      'ns:{s7}:counters',
    ]);
    expect(args).toEqual([
      'c-1',
      '4',
      'e-1',
      '{"a":[]}',
      '100',
      '50',
      '',
      '2',
      'x',
      'y',
      '1',
      't-1',
      timerMember('c-1', 't-1'),
      '1',
      't-2',
      timerMember('c-1', 't-2'),
      '5000',
      JSON.stringify(timer),
      '1',
      'cmd-0a',
      JSON.stringify(command),
      '1',
      '{"decision":"sent"}',
      // zero deltas are left out: they would only cost a write
      '2',
      '["stage","wp","welcome"]',
      '1',
      '["stage","wp","checkIn"]',
      '-1',
    ]);
  });

  it('ends with an empty counter group when the batch counts nothing', () => {
    const limits = { processedIdsKept: 1, auditKept: 1 };
    expect(commitCall('ns', 0, batchFor('c', 'e', 0), limits).args.at(-1)).toBe('0');
  });

  it('passes haltsSeen only when the caller gives it', () => {
    const limits = { processedIdsKept: 1, auditKept: 1 };
    expect(commitCall('ns', 0, batchFor('c', 'e', 0, { haltsSeen: 2 }), limits).args[6]).toBe('2');
  });
});
