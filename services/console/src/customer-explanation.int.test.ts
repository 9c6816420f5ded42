import { describe, expect } from 'vitest';
import { compactState, emptyCustomerState } from '@tactful/engine';
import { commitFrom, createStore } from '@tactful/store-redis';
import { test } from '@tactful/testing';
import { explainCustomer } from './customer-explanation';

const noDecisions = () => Promise.resolve([]);

describe('explainCustomer on a real store', () => {
  test("lists every template of the ledger as sent, even one the stored state's copy lacks", async ({
    redis,
    namespace,
  }) => {
    const store = createStore({ redis: redis.redis, namespace });
    const state = { ...emptyCustomerState('ann'), templatesSent: ['wp-welcome'] };
    const loaded = await store.load('ann');
    await store.commit(
      commitFrom(loaded, {
        eventId: 'evt-1',
        state: compactState(state),
        ledgerAdd: ['wp-welcome', 'wp-check-in'],
      }),
    );

    const explained = await explainCustomer(store, noDecisions, 'ann');
    expect(explained.known).toBe(true);
    expect(explained.summary?.templatesSent).toEqual(['wp-check-in', 'wp-welcome']);
  });

  test('a customer the store never saw has no summary', async ({ redis, namespace }) => {
    const store = createStore({ redis: redis.redis, namespace });
    const explained = await explainCustomer(store, noDecisions, 'nobody');
    expect(explained).toMatchObject({ known: false, version: 0, summary: null, timers: [], halts: [] });
  });
});
