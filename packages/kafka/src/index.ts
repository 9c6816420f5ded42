export * from './client';
export * from './topics';
export * from './dead-letter';
export * from './consumer-lifecycle';
export * from './event-consumer';
export * from './message-consumer';
export * from './message-failure';
export * from './transient-error';
// The kafkajs types services pass around, so a service that only wires adapters need not import kafkajs.
export type {
  Admin,
  Consumer,
  ConsumerConfig,
  IHeaders,
  Kafka,
  KafkaMessage,
  Message,
  Producer,
  RetryOptions,
} from 'kafkajs';
// kafkajs is imported by the adapters alone (the layering lint checks it); the few values a caller needs
// to produce with the same settings as the adapters are handed on from here.
export { CompressionTypes, Partitioners } from 'kafkajs';
export * from './lag';
export * from './renewing-producer';
export * from './keyed-reader';
export * from './history-reader';
