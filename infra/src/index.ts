export { infraDir, repoRoot } from './paths';
export {
  DEFAULT_KAFKA_VERSION,
  kafkaLayout,
  kafkaLayoutAt,
  killKafka,
  startKafka,
  stopKafka,
  type KafkaLayout,
} from './kafka';
export { killRedis, redisLayout, redisLayoutAt, startRedis, stopRedis, type RedisLayout } from './redis';
export { down, install, status, up } from './infra';
export { RUNTIME_WORKSPACES, writeRuntimeLayout } from './runtime-layout';
export { canConnect, parseHostPort } from './net';
