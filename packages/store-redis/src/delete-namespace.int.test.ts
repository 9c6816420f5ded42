import { expect } from 'vitest';
import { test } from '@tactful/testing';
import { deleteNamespace } from './delete-namespace';
import { createStore } from './store';
import { commitNext } from './test-support';

test('deleteNamespace removes every key of the namespace and nothing of another', async ({
  redis,
  namespace,
}) => {
  const store = createStore({ redis: redis.redis, namespace });
  const neighbour = createStore({ redis: redis.redis, namespace: `${namespace}-other` });
  await commitNext(store, 'c1', 'e1');
  await commitNext(neighbour, 'c1', 'e1');
  expect((await redis.redis.keys(`${namespace}:*`)).length).toBeGreaterThan(0);
  expect(await deleteNamespace(redis.redis, namespace)).toBeGreaterThan(0);
  expect(await redis.redis.keys(`${namespace}:*`)).toEqual([]);
  expect((await neighbour.load('c1')).version).toBe(1);
  await deleteNamespace(redis.redis, `${namespace}-other`);
});
