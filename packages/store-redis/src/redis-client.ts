import { Cluster, Redis } from 'ioredis';

// ioredis is imported by this package alone (the layering lint checks it): the services and commands get
// their client, and the classes for the rare direct use, from here.
export { Cluster, Redis };

/** A connection to a single Redis node or to a Redis Cluster. */
export type RedisClient = Redis | Cluster;

/**
 * A Redis client for `REDIS_URL`: one URL is a single node, a comma-separated list is Redis Cluster
 * (CONTRACT.md section 1). Commands wait for the connection rather than failing at start.
 */
export function createRedisClient(url: string): RedisClient {
  const urls = url
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u.length > 0);
  if (urls.length === 1) return new Redis(urls[0]!, { maxRetriesPerRequest: 3, enableAutoPipelining: true });
  return new Cluster(
    urls.map((u) => {
      const parsed = new URL(u);
      return { host: parsed.hostname, port: Number(parsed.port || 6379) };
    }),
    { redisOptions: { maxRetriesPerRequest: 3 }, enableAutoPipelining: true },
  );
}

/**
 * A client for a command that uses Redis only if it is there (`tactful journeys validate`): it gives up
 * after one attempt of `timeoutMs` instead of retrying, and queues nothing while disconnected. Connect
 * with `connect()`; its rejection says Redis cannot be reached.
 */
export function createProbeClient(url: string, timeoutMs = 1500): RedisClient {
  const urls = url
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u.length > 0);
  const options = {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  };
  if (urls.length === 1) return new Redis(urls[0]!, options);
  return new Cluster(
    urls.map((u) => {
      const parsed = new URL(u);
      return { host: parsed.hostname, port: Number(parsed.port || 6379) };
    }),
    { lazyConnect: true, enableOfflineQueue: false, clusterRetryStrategy: () => null, redisOptions: options },
  );
}
