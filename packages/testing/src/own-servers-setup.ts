import type { TestProject } from 'vitest/node';
import { startOwnServers, type OwnServersSpec } from './own-servers';

declare module 'vitest' {
  export interface ProvidedContext {
    ownServers: OwnServersSpec;
  }
}

/**
 * vitest global setup of a project whose tests crash servers on purpose: starts a Kafka broker and a Redis
 * of the run's own (never the shared ones), hands their spec to the tests (`inject('ownServers')`, then
 * `ownServersAt`), and stops them at the end.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const servers = await startOwnServers();
  console.log(
    `own servers for ${project.name}: Kafka ${servers.kafka.brokers.join(',')}, Redis ${servers.redis.url} (${servers.spec.dir})`,
  );
  project.provide('ownServers', servers.spec);
  return () => servers.close();
}
