import { describe, expect, it } from 'vitest';
import { TactfulError } from '@tactful/events';
import { storeError } from './redis-errors';

function replyError(message: string): Error {
  const err = new Error(message);
  err.name = 'ReplyError';
  return err;
}

describe('storeError', () => {
  it('retries what Redis cannot serve for a moment', () => {
    for (const err of [
      new Error('Connection is closed.'),
      replyError('LOADING Redis is loading'),
      replyError('TRYAGAIN'),
      replyError('CLUSTERDOWN The cluster is down'),
      replyError('OOM command not allowed'),
    ]) {
      const mapped = storeError(err, 'committing');
      expect(mapped.code).toBe('redis.unavailable');
      expect(mapped.retriable).toBe(true);
      expect(mapped.cause).toBe(err);
    }
  });

  it('does not retry a refused call or a damaged key: the answer would be the same', () => {
    for (const err of [
      replyError('TACTFUL_INVALID timer t has no numeric due time'),
      replyError('WRONGTYPE Operation against a key'),
    ]) {
      const mapped = storeError(err, 'committing');
      expect(mapped.code).toBe('internal');
      expect(mapped.retriable).toBe(false);
      expect(mapped.message).toContain('committing');
    }
  });

  it('keeps a Tactful error as it is', () => {
    const err = new TactfulError('config.invalid', 'x');
    expect(storeError(err, 'y')).toBe(err);
  });
});
