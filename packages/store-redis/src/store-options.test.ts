import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { TactfulError } from '@tactful/events';
import { resolveStoreOptions } from './store-options';

const redis = {} as Redis;

describe('store options', () => {
  it('fills the defaults', () => {
    const { shards, recentEventIds } = resolveStoreOptions({ redis, namespace: 'tactful' });
    expect({ shards, recentEventIds }).toEqual({ shards: 64, recentEventIds: 4 });
  });

  it('refuses, with every problem, what the layout cannot hold', () => {
    let error: unknown;
    try {
      resolveStoreOptions({ redis, namespace: 'a{b}', shards: 0, recentEventIds: 1.5 });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(TactfulError);
    expect((error as TactfulError).code).toBe('config.invalid');
    const message = (error as TactfulError).message;
    for (const option of ['namespace', 'shards', 'recentEventIds']) expect(message).toContain(option);
  });
});
