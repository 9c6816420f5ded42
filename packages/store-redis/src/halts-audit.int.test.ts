import { describe, expect } from 'vitest';
import { test } from '@tactful/testing';
import { haltsJourney, isOptedOut } from './halts';
import { createStore } from './store';
import { auditFor, batchFor } from './test-support';

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
    expect(haltsJourney(halts, 'z')).toBe(true);
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
    expect((await store.commit(batchFor(c, 'evt-reply', 0))).status).toBe('committed');
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

describe('audit', () => {
  test('keeps the newest records, newest last, and answers a limit', async ({ redis, namespace }) => {
    const store = createStore({ redis: redis.redis, namespace, auditKept: 5 });
    const c = 'cust-audit';
    const records = Array.from({ length: 9 }, (_, i) => auditFor(c, `reason ${i}`));
    for (let i = 0; i < 3; i++)
      await store.commit(batchFor(c, `evt-${i}`, i, { audit: records.slice(i * 3, i * 3 + 3) }));
    expect(await store.audit(c)).toEqual(records.slice(4));
    expect(await store.audit(c, 2)).toEqual(records.slice(7));
    expect(await store.audit('cust-none')).toEqual([]);
  });
});
