import { describe, expect, it } from 'vitest';
import { parseCommitReply } from './customer-store';

describe('parseCommitReply', () => {
  it('reads every reply of commit.lua', () => {
    expect(parseCommitReply(['committed', 3])).toEqual({ status: 'committed', version: 3 });
    expect(parseCommitReply(['duplicate'])).toEqual({ status: 'duplicate' });
    expect(parseCommitReply(['conflict', 2, 'version'])).toEqual({
      status: 'conflict',
      version: 2,
      reason: 'version',
    });
    expect(parseCommitReply(['conflict', 2, 'halts'])).toEqual({
      status: 'conflict',
      version: 2,
      reason: 'halts',
    });
    expect(parseCommitReply(['ledger_violation', 'wp-welcome'])).toEqual({
      status: 'ledger_violation',
      template: 'wp-welcome',
    });
  });

  it('refuses a reply the script cannot give', () => {
    expect(() => parseCommitReply(['committed', '3'])).toThrow(/unexpected reply/);
    expect(() => parseCommitReply('OK')).toThrow(/unexpected reply/);
  });
});
