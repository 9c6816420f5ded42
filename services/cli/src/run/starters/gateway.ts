import { startGateway } from '@tactful/gateway';
import type { ServiceStarter } from '../runtime';

export const gateway: ServiceStarter = {
  start: (rt) =>
    startGateway({
      app: rt.app,
      kafka: rt.kafka,
      namespace: rt.config.TACTFUL_NAMESPACE,
      ingestToken: rt.config.TACTFUL_INGEST_TOKEN,
      bodyLimitBytes: rt.config.TACTFUL_INGEST_MAX_BYTES,
      readiness: rt.readiness,
      metrics: rt.metrics,
      logger: rt.logger,
    }),
};
