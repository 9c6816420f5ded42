import { describe, expect } from 'vitest';
import { test } from '@tactful/testing';
import { createStore, type Store } from './store';
import { snapshot } from './test-support';

// The keys and values are written out by hand here, not built with keys.ts: they are the names and the
// format the dispatcher has always stored, and data already in Redis must keep reading.
function storedKeys(namespace: string, store: Store, customerId: string, encoded = customerId) {
  const base = `${namespace}:{s${store.shardOf(customerId)}}:c:${encoded}`;
  return {
    deliveries: `${base}:deliveries`,
    templates: `${base}:delivered-templates`,
    times: `${base}:delivery-times`,
  };
}

const claimed = JSON.stringify({
  state: 'sending',
  phase: 'claimed',
  owner: 'host/1/ab',
  leaseUntil: 1_000,
  template: 'wp-welcome',
  attempts: 1,
});
const delivered = JSON.stringify({
  state: 'delivered',
  template: 'wp-welcome',
  messageId: '<cmd-1@tactful>',
  at: 2_000,
});

describe('delivery records', () => {
  test('reads records, holders and delivery times stored under the keys the dispatcher always used', async ({
    redis,
    namespace,
  }) => {
    const store = createStore({ redis: redis.redis, namespace });
    const keys = storedKeys(namespace, store, 'jo');
    await redis.redis.hset(keys.deliveries, 'cmd-1', delivered, 'cmd-2', claimed);
    await redis.redis.hset(keys.templates, 'wp-welcome', 'cmd-1');
    await redis.redis.zadd(keys.times, 2_000, 'cmd-1', 500, 'cmd-0');

    expect(await store.deliverySlot('jo', 'cmd-1', 'wp-welcome')).toEqual({
      record: delivered,
      holder: 'cmd-1',
    });
    expect(await store.deliverySlot('jo', 'cmd-9', 'wp-other')).toEqual({ record: null, holder: null });
    expect(await store.deliveryRecord('jo', 'cmd-2')).toBe(claimed);
    expect(await store.deliveryRecord('jo', 'cmd-9')).toBeNull();
    expect(await store.deliveryRecords('jo')).toEqual({ 'cmd-1': delivered, 'cmd-2': claimed });
    expect(await store.deliveryRecords('nobody')).toEqual({});
    expect(await store.deliveriesSince('jo', 500)).toBe(2);
    expect(await store.deliveriesSince('jo', 501)).toBe(1);
  });

  test('writes a slot under those keys, in one script, only while it holds what the caller read', async ({
    redis,
    namespace,
  }) => {
    const store = createStore({ redis: redis.redis, namespace });
    const keys = storedKeys(namespace, store, 'jo');
    const empty = { record: null, holder: null };
    const claim = {
      commandId: 'cmd-1',
      template: 'wp-welcome',
      expected: empty,
      record: claimed,
      holder: 'cmd-1',
    };
    expect(await store.setDeliverySlot('jo', claim)).toBe(true);
    expect(await redis.redis.hgetall(keys.deliveries)).toEqual({ 'cmd-1': claimed });
    expect(await redis.redis.hgetall(keys.templates)).toEqual({ 'wp-welcome': 'cmd-1' });
    expect(await redis.redis.exists(keys.times)).toBe(0);

    // the same write again: the slot no longer holds what it was computed from
    const before = await snapshot(redis.redis, redis.prefix);
    expect(await store.setDeliverySlot('jo', claim)).toBe(false);
    // a record that matches with a holder that does not, and the other way round
    const taken = { record: claimed, holder: 'cmd-7' };
    expect(await store.setDeliverySlot('jo', { ...claim, expected: taken, record: delivered })).toBe(false);
    const changed = { record: delivered, holder: 'cmd-1' };
    expect(await store.setDeliverySlot('jo', { ...claim, expected: changed, record: delivered })).toBe(false);
    expect(await snapshot(redis.redis, redis.prefix)).toEqual(before);

    const current = await store.deliverySlot('jo', 'cmd-1', 'wp-welcome');
    expect(
      await store.setDeliverySlot('jo', {
        ...claim,
        expected: current,
        record: delivered,
        delivered: { at: 2_000, keepSince: 1_000 },
      }),
    ).toBe(true);
    expect(await redis.redis.hget(keys.deliveries, 'cmd-1')).toBe(delivered);
    expect(await redis.redis.zrange(keys.times, 0, -1, 'WITHSCORES')).toEqual(['cmd-1', '2000']);
  });

  test('a null record or holder deletes it', async ({ redis, namespace }) => {
    const store = createStore({ redis: redis.redis, namespace });
    const keys = storedKeys(namespace, store, 'jo');
    await redis.redis.hset(keys.deliveries, 'cmd-1', claimed, 'cmd-2', delivered);
    await redis.redis.hset(keys.templates, 'wp-welcome', 'cmd-1', 'wp-other', 'cmd-2');
    const release = {
      commandId: 'cmd-1',
      template: 'wp-welcome',
      expected: { record: claimed, holder: 'cmd-1' },
      record: null,
      holder: null,
    };
    expect(await store.setDeliverySlot('jo', release)).toBe(true);
    expect(await redis.redis.hgetall(keys.deliveries)).toEqual({ 'cmd-2': delivered });
    expect(await redis.redis.hgetall(keys.templates)).toEqual({ 'wp-other': 'cmd-2' });
  });

  test('a delivery drops the delivery times older than it keeps', async ({ redis, namespace }) => {
    const store = createStore({ redis: redis.redis, namespace });
    const keys = storedKeys(namespace, store, 'jo');
    await redis.redis.zadd(keys.times, 100, 'cmd-a', 999, 'cmd-b', 1_000, 'cmd-c');
    const write = {
      commandId: 'cmd-d',
      template: 'wp-check-in',
      expected: { record: null, holder: null },
      record: delivered,
      holder: 'cmd-d',
      delivered: { at: 5_000, keepSince: 1_000 },
    };
    expect(await store.setDeliverySlot('jo', write)).toBe(true);
    expect(await redis.redis.zrange(keys.times, 0, -1)).toEqual(['cmd-c', 'cmd-d']);
    expect(await store.deliveriesSince('jo', 0)).toBe(2);
    expect(await store.deliveriesSince('jo', 5_001)).toBe(0);
  });

  test('of two writers computed from the same slot, exactly one wins', async ({ redis, namespace }) => {
    const store = createStore({ redis: redis.redis, namespace });
    const expected = await store.deliverySlot('jo', 'cmd-1', 'wp-welcome');
    const write = (owner: string) =>
      store.setDeliverySlot('jo', {
        commandId: 'cmd-1',
        template: 'wp-welcome',
        expected,
        record: JSON.stringify({ state: 'sending', owner }),
        holder: 'cmd-1',
      });
    const results = await Promise.all(['a', 'b', 'c', 'd'].map(write));
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = ['a', 'b', 'c', 'd'][results.indexOf(true)];
    expect(await store.deliveryRecord('jo', 'cmd-1')).toBe(
      JSON.stringify({ state: 'sending', owner: winner }),
    );
  });

  test("keeps a customer's records in the customer's slot, its id encoded like the store's keys", async ({
    redis,
    namespace,
  }) => {
    const store = createStore({ redis: redis.redis, namespace });
    const id = 'a{b}%c';
    const keys = storedKeys(namespace, store, id, 'a%7Bb%7D%25c');
    const write = {
      commandId: 'cmd-1',
      template: 'wp-welcome',
      expected: { record: null, holder: null },
      record: delivered,
      holder: 'cmd-1',
      delivered: { at: 2_000, keepSince: 0 },
    };
    expect(await store.setDeliverySlot(id, write)).toBe(true);
    expect(await redis.redis.hget(keys.deliveries, 'cmd-1')).toBe(delivered);
    expect(await redis.redis.hget(keys.templates, 'wp-welcome')).toBe('cmd-1');
    expect(await redis.redis.zscore(keys.times, 'cmd-1')).toBe('2000');
  });

  test('routes replies by command id under N:reply:<commandId>, for as long as asked', async ({
    redis,
    namespace,
  }) => {
    const store = createStore({ redis: redis.redis, namespace });
    const route = { customerId: 'jo', journey: 'whitepaper-nurture', template: 'wp-welcome' };
    await store.saveReplyRoute('cmd-1', route, 60_000);
    const key = `${namespace}:reply:cmd-1`;
    expect(await redis.redis.get(key)).toBe(
      '{"customerId":"jo","journey":"whitepaper-nurture","template":"wp-welcome"}',
    );
    const ttl = await redis.redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(await store.replyRoute('cmd-1')).toEqual(route);
    expect(await store.replyRoute('cmd-never')).toBeNull();
  });

  test('a damaged reply route is an internal error naming the command', async ({ redis, namespace }) => {
    const store = createStore({ redis: redis.redis, namespace });
    await redis.redis.set(`${namespace}:reply:cmd-1`, 'not json');
    await redis.redis.set(`${namespace}:reply:cmd-2`, '{"customerId":"jo"}');
    await expect(store.replyRoute('cmd-1')).rejects.toMatchObject({
      code: 'internal',
      message: /cmd-1 is not JSON/,
    });
    await expect(store.replyRoute('cmd-2')).rejects.toMatchObject({ code: 'internal', message: /cmd-2/ });
  });
});
