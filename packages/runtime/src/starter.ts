import type { ServiceResources } from './resources';
import type { ServiceConfig } from './service-config';

/** A service started in the process. */
export interface RunningService {
  close(): Promise<void>;
  /** Resolves when the service stopped on its own (a failure it does not retry). */
  readonly stopped?: Promise<Error | undefined>;
}

/**
 * How a service package starts its service (each exports one). `prepare` loads and checks what the
 * service needs (configuration, journeys, policy, templates) and throws with every problem listed; it
 * runs for every service of a process before any of them starts, so a refused file starts nothing.
 * `start` receives what `prepare` returned, typed, and the options a test or a caller may set.
 */
export interface ServiceStarter<Prepared, Options = Record<string, never>> {
  prepare(config: ServiceConfig): Promise<Prepared>;
  start(resources: ServiceResources, prepared: Prepared, options: Options): Promise<RunningService>;
}

/** A starter with its options chosen: what a process composes, whatever each service's own types. */
export interface ServiceEntry {
  prepare(config: ServiceConfig): Promise<PreparedService>;
}

/** A service whose `prepare` succeeded, ready to start on the process's resources. */
export interface PreparedService {
  start(resources: ServiceResources): Promise<RunningService>;
}

/** Binds a starter to its options; the prepared value stays typed from `prepare` to `start`. */
export function serviceEntry<Prepared, Options>(
  starter: ServiceStarter<Prepared, Options>,
  options: Options,
): ServiceEntry {
  return {
    async prepare(config) {
      const prepared = await starter.prepare(config);
      return { start: (resources) => starter.start(resources, prepared, options) };
    },
  };
}
