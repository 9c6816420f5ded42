import { httpHostCheck, TactfulEnv } from '@tactful/observability';

/** What the gateway reads from the environment (CONTRACT.md section 1). */
export const GatewayConfig = TactfulEnv.pick({
  KAFKA_BROKERS: true,
  TACTFUL_NAMESPACE: true,
  TACTFUL_HTTP_PORT: true,
  TACTFUL_HTTP_HOST: true,
  TACTFUL_CONSOLE_TOKEN: true,
  TACTFUL_INGEST_TOKEN: true,
  TACTFUL_INGEST_MAX_BYTES: true,
  TACTFUL_TOPIC_PARTITIONS: true,
  LOG_LEVEL: true,
}).check(httpHostCheck);
export type GatewayConfig = ReturnType<typeof GatewayConfig.parse>;
