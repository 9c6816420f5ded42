import type { AddressInfo } from 'node:net';
import { publicUrlOf } from '@tactful/observability';
import type { ServiceStarter } from '@tactful/runtime';
import { startDispatcher, type DispatcherDeps } from './dispatcher';
import { prepareDispatcher, type PreparedDispatcher } from './prepare';

/** What a caller of the dispatcher's starter may set beyond the shared resources (tests shrink it). */
export type DispatcherOptions = Partial<Pick<DispatcherDeps, 'haltSignalSampleMs'>>;

/**
 * The dispatcher on a process's resources; `prepare` checks templates, journeys, policy,
 * TACTFUL_SMTP_URL and TACTFUL_LINK_SECRET, and refuses the start with every problem.
 */
export const dispatcherStarter: ServiceStarter<PreparedDispatcher, DispatcherOptions> = {
  prepare: (config) => prepareDispatcher(config),
  start: (rt, prepared, options) =>
    startDispatcher({
      kafka: rt.kafka,
      namespace: rt.namespace,
      store: rt.store,
      prepared,
      readiness: rt.readiness,
      metrics: rt.metrics,
      logger: rt.logger,
      // without TACTFUL_PUBLIC_URL the links point at this process's HTTP server, whose port (0 = any) is
      // known only once it listens, after the services started
      publicUrl: () => {
        const address = rt.app.server.address() as AddressInfo | string | null;
        const port = address !== null && typeof address === 'object' ? address.port : undefined;
        return publicUrlOf(rt.config, port);
      },
      now: rt.now,
      consumerConfig: rt.consumerConfig,
      ...options,
    }),
};
