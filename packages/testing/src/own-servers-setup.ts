import type { TestProject } from 'vitest/node';
import { killOwnServersNow, startOwnServers, type OwnServersSpec } from './own-servers';

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
  // an interrupted run (Ctrl-C, a CI timeout) ends without the teardown, and the servers are detached:
  // they are killed first thing (vitest's own handlers exit the process, so ours go before them), then the
  // signal does what it would have done
  const onExit = (): void => killOwnServersNow(servers.spec);
  const onSignal = (signal: NodeJS.Signals): void => {
    onExit();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  process.prependOnceListener('exit', onExit);
  process.prependOnceListener('SIGINT', onSignal);
  process.prependOnceListener('SIGTERM', onSignal);
  return async () => {
    process.removeListener('exit', onExit);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await servers.close();
  };
}
