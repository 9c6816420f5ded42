import type { AddressInfo } from 'node:net';
import { prepareDispatcher, startDispatcher, type PreparedDispatcher } from '@tactful/dispatcher';
import { publicUrlOf } from '@tactful/observability';
import type { ServiceStarter } from '../runtime';

export const dispatcher: ServiceStarter = {
  // templates, journeys, policy and TACTFUL_SMTP_URL, all checked before any service starts
  prepare: (config) => prepareDispatcher(config),
  start: (rt, prepared) =>
    startDispatcher({
      kafka: rt.kafka,
      redis: rt.redis,
      namespace: rt.config.TACTFUL_NAMESPACE,
      store: rt.store,
      prepared: prepared as PreparedDispatcher,
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
      ...(rt.overrides.now ? { now: rt.overrides.now } : {}),
      ...(rt.overrides.consumerConfig ? { consumerConfig: rt.overrides.consumerConfig } : {}),
      ...(rt.overrides.haltSignalSampleMs ? { haltSignalSampleMs: rt.overrides.haltSignalSampleMs } : {}),
    }),
};
