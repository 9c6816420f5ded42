import { topicsLeftOf } from '@tactful/engine';
import { createLinkSigner } from '@tactful/events';
import type { ServiceStarter } from '@tactful/runtime';
import { startGateway } from './gateway';
import { prepareGateway, type PreparedGateway } from './prepare';

/**
 * The gateway on a process's resources: its routes go on the process's HTTP server, and reply capture
 * listens on `TACTFUL_SMTP_INBOUND_PORT` when it is set; `prepare` refuses reply capture without
 * `TACTFUL_LINK_SECRET`.
 */
export const gatewayStarter: ServiceStarter<PreparedGateway> = {
  prepare: async (config) => prepareGateway(config),
  start: (rt, prepared) => {
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
      // the links of emails and reply capture need the dispatcher's secret, and the store for the topics
      // already left (and the reply routes the dispatcher writes)
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
      ...(prepared.inbound === undefined ? {} : { inbound: { ...prepared.inbound, routes: rt.store } }),
      now: rt.now,
    });
  },
};
