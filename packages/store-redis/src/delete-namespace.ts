import type { Cluster, Redis } from 'ioredis';

/**
 * Deletes every key of a namespace (all customers, timers, outboxes, the layout record): for demos,
 * benchmarks and scratch namespaces, never on a live one. On a cluster every primary is scanned.
 */
export async function deleteNamespace(redis: Redis | Cluster, namespace: string): Promise<number> {
  const nodes: Redis[] = redis.isCluster ? (redis as Cluster).nodes('master') : [redis as Redis];
  let deleted = 0;
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${namespace}:*`, 'COUNT', 1000);
      // one key at a time on a cluster: keys of different slots cannot share one DEL
      for (const key of keys) deleted += await redis.del(key);
      cursor = next;
    } while (cursor !== '0');
  }
  return deleted;
}
