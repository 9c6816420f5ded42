import type { Logger } from '@tactful/observability';
import { startServices, type StartedServices } from '@tactful/runtime';
import type { RunOverrides } from './run-overrides';
import { SERVICE_NAMES, type ServiceName } from './services';
import { STARTERS } from './starters';

export interface StackOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly services: readonly ServiceName[];
  readonly logger?: Logger;
  readonly overrides?: RunOverrides;
}

export type Stack = StartedServices;

/**
 * Starts the chosen services in one process with one ops server (`/metrics`, `/healthz`, `/readyz` on
 * `TACTFUL_HTTP_PORT`), the way `tactful run` does: each service's own starter on the resources of
 * `startServices`. Configuration and every service's files (journeys, policy, templates) are checked
 * before anything starts, and every problem is reported at once.
 */
export function startStack(options: StackOptions): Promise<Stack> {
  const overrides = options.overrides ?? {};
  // start order is the order of SERVICE_NAMES, whatever order --only named them in
  const services = SERVICE_NAMES.filter((name) => options.services.includes(name)).map((name) => {
    const starter = STARTERS[name];
    if (!starter) throw new Error(`service ${name} is not part of this build`);
    return { name, entry: starter(overrides) };
  });
  return startServices({
    env: options.env,
    services,
    name: 'tactful',
    ...(options.logger ? { logger: options.logger } : {}),
    ...(overrides.host ? { host: overrides.host } : {}),
    ...(overrides.now ? { now: overrides.now } : {}),
    ...(overrides.consumerConfig ? { consumerConfig: overrides.consumerConfig } : {}),
  });
}
