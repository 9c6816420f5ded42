import { describe, expect } from 'vitest';
import { test } from '@tactful/testing';
import { layoutKey } from './keys';
import { readCounters, scanCustomers, type ScannedCustomer } from './scan-customers';
import { createStore } from './store';
import { commitNext, snapshot, timerFor } from './test-support';

async function all(pages: AsyncGenerator<ScannedCustomer[]>): Promise<ScannedCustomer[][]> {
  const read: ScannedCustomer[][] = [];
  for await (const page of pages) read.push(page);
  return read;
}

describe('scanCustomers', () => {
  test('reads every customer record page by page, ids of any shape, and writes nothing', async ({
    redis,
    namespace,
  }) => {
    const store = createStore({ redis: redis.redis, namespace, shards: 8 });
    const ids = Array.from({ length: 25 }, (_, i) => `cust-${i}`).concat(['a{b}c', 'x:r', '100%', 'üñï']);
    for (const id of ids)
      await commitNext(store, id, 'evt-1', {
        ledgerAdd: ['wp-welcome'],
        timersAdd: [timerFor(id, `tmr-${id}`, 1_000)],
      });
    // another kind of key of a customer, and the shards' own keys, are not records
    await redis.redis.set(store.customerKey('cust-1', 'deliveries'), 'x');
    await commitNext(store, 'cust-2', 'evt-2', { counters: { seen: 1 } });
    const before = await snapshot(redis.redis, redis.prefix);
    const progress: number[] = [];

    const pages = await all(
      scanCustomers({
        redis: redis.redis,
        namespace,
        count: 5,
        onProgress: ({ customers }) => progress.push(customers),
      }),
    );

    const read = pages.flat();
    expect(read.map((c) => c.customerId).sort()).toEqual([...ids].sort());
    expect(pages.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toBe(ids.length);
    expect(read.find((c) => c.customerId === 'x:r')).toMatchObject({
      version: 1,
      state: { step: 'evt-1' },
      ledger: ['wp-welcome'],
      timers: [expect.objectContaining({ id: 'tmr-x:r', dueAt: 1_000 })],
    });
    expect(read.find((c) => c.customerId === 'cust-2')).toMatchObject({
      version: 2,
      state: { step: 'evt-2' },
    });
    expect(await snapshot(redis.redis, redis.prefix)).toEqual(before);
    expect(await readCounters({ redis: redis.redis, namespace })).toEqual({ seen: 1 });
  });

  test('a namespace never used holds nothing, and is not written to', async ({ redis, namespace }) => {
    expect(await all(scanCustomers({ redis: redis.redis, namespace }))).toEqual([]);
    expect(await readCounters({ redis: redis.redis, namespace })).toEqual({});
    expect(await redis.redis.exists(layoutKey(namespace))).toBe(0);
  });

  test('a namespace of an older layout is refused with the command that moves it', async ({
    redis,
    namespace,
  }) => {
    await redis.redis.set(layoutKey(namespace), JSON.stringify({ layout: 1, shards: 64 }));
    await expect(all(scanCustomers({ redis: redis.redis, namespace }))).rejects.toThrow(
      /tactful store migrate/,
    );
  });
});
