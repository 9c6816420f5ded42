import { topicsLeftOf } from '@tactful/engine';
import { createLinkSigner } from '@tactful/events';
import type { ServiceStarter } from '@tactful/runtime';
import { startGateway } from './gateway';

/** The gateway on a process's resources: its routes go on the process's HTTP server. */
export const gatewayStarter: ServiceStarter<void> = {
  prepare: async () => undefined,
  start: (rt) => {
    const secret = rt.config.TACTFUL_LINK_SECRET;
    return startGateway({
      app: rt.app,
      kafka: rt.kafka,
      namespace: rt.namespace,
      ingestToken: rt.config.TACTFUL_INGEST_TOKEN,
      bodyLimitBytes: rt.config.TACTFUL_INGEST_MAX_BYTES,
      readiness: rt.readiness,
      metrics: rt.metrics,
      logger: rt.logger,
      // the links of emails need the dispatcher's secret, and the store for the topics already left
      ...(secret === undefined
        ? {}
        : {
            links: {
              signer: createLinkSigner(secret),
              topicsLeft: async (customerId: string) => {
                const loaded = await rt.store.load(customerId);
                return topicsLeftOf(loaded.state, loaded.halts);
              },
            },
          }),
      now: rt.now,
    });
  },
};
