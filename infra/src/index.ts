export { infraDir, repoRoot } from './paths';
export { DEFAULT_KAFKA_VERSION, kafkaLayout, type KafkaLayout } from './kafka';
export { redisLayout, type RedisLayout } from './redis';
export { down, install, status, up } from './infra';
export { canConnect, parseHostPort } from './net';
