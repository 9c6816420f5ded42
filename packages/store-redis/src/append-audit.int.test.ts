import { describe, expect } from 'vitest';
import { test } from '@tactful/testing';
import { createStore } from './store';
import { auditFor, batchFor } from './test-support';

describe('appendAudit', () => {
  test('adds records after those of the commits, newest last, trimmed like them', async ({
    redis,
    namespace,
  }) => {
    const store = createStore({ redis: redis.redis, namespace, auditKept: 4 });
    const c = 'cust-append';
    const committed = [auditFor(c, 'entered'), auditFor(c, 'sent')];
    await store.commit(batchFor(c, 'evt-1', 0, { audit: committed }));
    const dispatched = [auditFor(c, 'suppressed at dispatch'), auditFor(c, 'again')];
    await store.appendAudit(c, dispatched);
    expect(await store.audit(c)).toEqual([...committed, ...dispatched]);
    await store.appendAudit(c, [auditFor(c, 'one more')]);
    expect((await store.audit(c)).map((r) => r.reason)).toEqual([
      'sent',
      'suppressed at dispatch',
      'again',
      'one more',
    ]);
    await store.appendAudit(c, []);
    expect(await store.audit(c)).toHaveLength(4);
    // the commit's own trimming still applies after an append
    expect(await store.load(c)).toMatchObject({ version: 1 });
  });

  test('customerKey names a key in the customer’s slot and refuses the store’s own kinds', async ({
    redis,
    namespace,
  }) => {
    const store = createStore({ redis: redis.redis, namespace });
    const key = store.customerKey('a{b}', 'deliveries');
    expect(key).toBe(`${namespace}:{s${store.shardOf('a{b}')}}:c:a%7Bb%7D:deliveries`);
    expect(() => store.customerKey('c', 'audit')).toThrow(/store kind/);
    expect(() => store.customerKey('c', 'Bad:kind')).toThrow(/kebab/);
  });
});
