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
