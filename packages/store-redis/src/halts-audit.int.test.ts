import { describe, expect } from 'vitest';
import { haltMarkCovers } from '@tactful/events';
import { test } from '@tactful/testing';
import { isOptedOut } from './halts';
import { createStore } from './store';
import { commitNext } from './test-support';

describe('halt marks', () => {
  test('marking is idempotent per event and keeps every distinct mark', async ({ redis, namespace }) => {
    const store = createStore({ redis: redis.redis, namespace });
    const c = 'cust-halt';
    const reply = { eventId: 'evt-reply', type: 'email.replied', at: 2000, journeys: ['a', 'b'] };
    const optOut = { eventId: 'evt-out', type: 'contact.opted_out', at: 3000, optOut: true };
    expect(await store.markHalted(c, reply)).toBe(true);
    expect(await store.markHalted(c, reply)).toBe(false);
    expect(await store.markHalted(c, { ...reply, journeys: ['other'] })).toBe(false);
    expect(await store.getHalts(c)).toEqual([reply]);

    expect(await store.markHalted(c, optOut)).toBe(true);
    const halts = await store.getHalts(c);
    expect(halts).toEqual([reply, optOut]);
    expect(halts.some((mark) => haltMarkCovers(mark, 'z'))).toBe(true);
    expect(isOptedOut(halts)).toBe(true);
    expect(await store.load(c)).toMatchObject({ version: 0, halts: [reply, optOut], halt: reply });
  });

  test('applying the marked event clears its mark; an applied event is not marked again', async ({
    redis,
    namespace,
  }) => {
    const store = createStore({ redis: redis.redis, namespace });
    const c = 'cust-applied';
    const reply = { eventId: 'evt-reply', type: 'email.replied', at: 2000 };
    const other = { eventId: 'evt-other', type: 'email.replied', at: 2500 };
    expect(await store.markHalted(c, reply)).toBe(true);
    expect(await store.markHalted(c, other)).toBe(true);
    // the orchestrator reaches the reply: its commit removes that mark only
    expect((await commitNext(store, c, 'evt-reply', { clearHalts: ['evt-reply'] })).status).toBe('committed');
    expect(await store.getHalts(c)).toEqual([other]);
    // a sentinel that lags behind the orchestrator must not leave a mark for an applied event
    expect(await store.markHalted(c, reply)).toBe(false);
    expect(await store.getHalts(c)).toEqual([other]);
    expect(await store.clearHalts(c, ['evt-other', 'evt-unknown'])).toBe(1);
    expect(await store.getHalts(c)).toEqual([]);
  });

  test('a malformed mark is refused', async ({ redis, namespace }) => {
    const store = createStore({ redis: redis.redis, namespace });
    await expect(store.markHalted('c', { eventId: '', type: 'email.replied', at: 0 })).rejects.toThrow(
      /eventId/,
    );
  });
});

describe('stale halt marks', () => {
  test('a mark of an event the record applied, however long ago, is stale at load and cleared by the next commit', async ({
    redis,
    namespace,
  }) => {
    const store = createStore({ redis: redis.redis, namespace, recentEventIds: 2 });
    const c = 'cust-stale';
    // the orchestrator applies the reply at partition 1, offset 7, then many newer events
    await commitNext(store, c, 'evt-reply', { position: { partition: 1, offset: '7' }, recentEventIds: 2 });
    for (let i = 0; i < 5; i++)
      await commitNext(store, c, `evt-later-${i}`, {
        position: { partition: 1, offset: String(8 + i) },
        recentEventIds: 2,
      });
    // a sentinel far behind marks the reply only now: its position tells it is applied, not its id
    const late = {
      eventId: 'evt-reply',
      type: 'email.replied',
      at: 2000,
      position: { partition: 1, offset: '7' },
    };
    expect(await store.markHalted(c, late)).toBe(false);
    // written anyway (the race markHalted cannot close): load counts it stale, not live
    await redis.redis.hset(
      `${namespace}:{s${store.shardOf(c)}}:c:${c}:halts`,
      'evt-reply',
      JSON.stringify(late),
    );
    const loaded = await store.load(c);
    expect(loaded).toMatchObject({ halts: [], halt: null, staleHalts: ['evt-reply'], haltsSeen: 1 });
    // a mark of an event not applied yet stays live
    const fresh = {
      eventId: 'evt-new',
      type: 'email.replied',
      at: 3000,
      position: { partition: 1, offset: '40' },
    };
    expect(await store.markHalted(c, fresh)).toBe(true);
    expect((await store.load(c)).halts).toEqual([fresh]);
    expect(await store.liveHalts(c)).toEqual([fresh]);
    // the next commit deletes the stale mark though its caller names no mark: the store keeps its own marks
    expect(
      (await commitNext(store, c, 'evt-after', { position: { partition: 1, offset: '13' } })).status,
    ).toBe('committed');
    expect(await store.getHalts(c)).toEqual([fresh]);
    expect(await store.load(c)).toMatchObject({ halts: [fresh], staleHalts: [], haltsSeen: 1 });
  });

  test('liveHalts gives the marks whose events the record has not applied, oldest first', async ({
    redis,
    namespace,
  }) => {
    const store = createStore({ redis: redis.redis, namespace });
    const c = 'cust-live';
    const marks = Array.from({ length: 5 }, (_, i) => ({
      eventId: `evt-${i}`,
      type: 'email.replied',
      at: 1000 + i,
      position: { partition: 0, offset: String(10 + i) },
    }));
    for (const mark of marks) expect(await store.markHalted(c, mark)).toBe(true);
    expect(await store.liveHalts(c)).toEqual(marks);
    // the orchestrator applies the first three events: their marks are no longer live
    await commitNext(store, c, 'evt-2', { position: { partition: 0, offset: '12' }, clearHalts: [] });
    expect(await store.liveHalts(c)).toEqual(marks.slice(3));
    // a mark deleted since (its event applied by a commit) is not live either
    await store.clearHalts(c, ['evt-3']);
    expect(await store.liveHalts(c)).toEqual(marks.slice(4));
  });
});
