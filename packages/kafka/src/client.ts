import { Kafka, logLevel, type ISocketFactory, type KafkaConfig, type RetryOptions } from 'kafkajs';
import type { Logger } from 'pino';

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  logger?: Logger;
  /**
   * How long to keep retrying a broker that does not answer before the call fails. Services keep the
   * kafkajs defaults' spirit (retry for a while); tests and CLI commands shrink it so a dead broker is a
   * clear error, not a hang.
   */
  retry?: RetryOptions;
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Replaces how sockets are opened; fault-injection tests route every connection through a proxy. */
  socketFactory?: ISocketFactory;
}

const levels: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** A kafkajs client whose own log lines go through our pino logger (or nowhere, without one). */
export function createKafkaClient(options: KafkaClientOptions): Kafka {
  const { logger } = options;
  const config: KafkaConfig = {
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: options.connectionTimeoutMs ?? 3000,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    retry: options.retry ?? { retries: 8, initialRetryTime: 300, maxRetryTime: 30_000 },
    ...(options.socketFactory ? { socketFactory: options.socketFactory } : {}),
    logLevel: logger ? logLevel.WARN : logLevel.NOTHING,
    logCreator: () => (entry) => {
      if (!logger) return;
      const { message, ...extra } = entry.log;
      logger[levels[entry.level] ?? 'info']({ component: `kafkajs.${entry.namespace}`, ...extra }, message);
    },
  };
  return new Kafka(config);
}
