export * from './client';
export * from './topics';
export * from './dead-letter';
export * from './consumer-lifecycle';
export * from './event-consumer';
export * from './message-consumer';
export * from './message-failure';
export * from './transient-error';
// The kafkajs types services pass around, so a service that only wires adapters need not import kafkajs.
export type { Admin, Consumer, IHeaders, Kafka, KafkaMessage, Producer, RetryOptions } from 'kafkajs';
export * from './lag';
export * from './renewing-producer';
export * from './keyed-reader';
export * from './history-reader';
