import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { TactfulError } from '@tactful/events';
import { resolveStoreOptions } from './store-options';

const redis = {} as Redis;

describe('store options', () => {
  it('fills the defaults', () => {
    const { shards, processedIdsKept, auditKept } = resolveStoreOptions({ redis, namespace: 'tactful' });
    expect({ shards, processedIdsKept, auditKept }).toEqual({
      shards: 64,
      processedIdsKept: 10_000,
      auditKept: 500,
    });
  });

  it('refuses, with every problem, what the layout cannot hold', () => {
    let error: unknown;
    try {
      resolveStoreOptions({ redis, namespace: 'a{b}', shards: 0, processedIdsKept: 1.5, auditKept: -1 });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(TactfulError);
    expect((error as TactfulError).code).toBe('config.invalid');
    const message = (error as TactfulError).message;
    for (const option of ['namespace', 'shards', 'processedIdsKept', 'auditKept'])
      expect(message).toContain(option);
  });
});
