import { Cluster, Redis } from 'ioredis';

/**
 * A Redis client for `REDIS_URL`: one URL is a single node, a comma-separated list is Redis Cluster
 * (CONTRACT.md section 1). Commands wait for the connection rather than failing at start.
 */
export function createRedisClient(url: string): Redis | Cluster {
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
