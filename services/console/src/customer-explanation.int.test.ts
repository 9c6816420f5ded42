import { describe, expect } from 'vitest';
import { compactState, customerView, emptyCustomerState } from '@tactful/engine';
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

  test('shows the live halt marks the dispatcher checks a send against, a mark already applied left out', async ({
    redis,
    namespace,
  }) => {
    const store = createStore({ redis: redis.redis, namespace });
    const applied = { eventId: 'evt-reply', type: 'email.replied', at: 1000, journeys: ['nurture'] };
    const live = { eventId: 'evt-out', type: 'contact.opted_out', at: 2000, optOut: true };
    for (const mark of [applied, live]) expect(await store.markHalted('ann', mark)).toBe(true);
    // the orchestrator applied the reply; its mark is still in Redis until the next commit deletes it
    const loaded = await store.load('ann');
    const state = compactState(emptyCustomerState('ann'));
    await store.commit(commitFrom(loaded, { eventId: 'evt-reply', state, clearHalts: [] }));
    expect(await store.getHalts('ann')).toHaveLength(2);

    const explained = await explainCustomer(store, noDecisions, 'ann');
    expect(explained.halts).toEqual([live]);
    expect(explained.halts).toEqual(await store.liveHalts('ann'));
    expect(explained.halts).toEqual(customerView(await store.load('ann')).halts);
  });

  test('a customer the store never saw has no summary', async ({ redis, namespace }) => {
    const store = createStore({ redis: redis.redis, namespace });
    const explained = await explainCustomer(store, noDecisions, 'nobody');
    expect(explained).toMatchObject({ known: false, version: 0, summary: null, timers: [], halts: [] });
  });
});
