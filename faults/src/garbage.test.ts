import { describe, expect, test } from 'vitest';
import { parseEvent } from '@tactful/events';
import { EXPECTED_REASON, GARBAGE_KINDS, garbageMessage } from './garbage';

// The burst's garbage is what it claims to be: the shared parser of N.events refuses each kind with the
// reason the scenario expects in N.dlq.
describe('garbage of every kind', () => {
  test.each(GARBAGE_KINDS)('%s is refused with its reason', (kind) => {
    const message = garbageMessage(kind, 'viewer-1', 7);
    const parsed = parseEvent(message.value, message.key);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.rejection.reason).toBe(EXPECTED_REASON[kind]);
    expect(message.headers['x-fault-garbage']).toBe(kind);
  });

  test('the oversized one is over 1 MiB as JSON and produced gzip-compressed; the deep one 5,000 levels', () => {
    expect(Buffer.byteLength(garbageMessage('too-large-gzip', 'v', 1).value)).toBeGreaterThan(1024 * 1024);
    expect(garbageMessage('too-large-gzip', 'v', 1).gzip).toBe(true);
    expect(garbageMessage('too-deep', 'v', 1).value).toContain('['.repeat(5000));
  });
});
