import { Partitioners, type Kafka, type Producer, type ProducerConfig } from 'kafkajs';
import type { Logger } from '@tactful/observability';

/** What the services need of a producer: sending, and closing. */
export type ProducerLike = Pick<Producer, 'send' | 'sendBatch' | 'disconnect'>;

/**
 * An idempotent producer that is replaced after a failed send. A send that failed once its retries were
 * spent may still have been written under sequence numbers the producer has not counted; a later batch
 * with the same numbers would then be taken by the broker for a duplicate and silently dropped, losing a
 * command or an event. A new producer has a new producer id and fresh sequences, so nothing is dropped.
 */
export async function createRenewingProducer(
  kafka: Kafka,
  logger: Logger,
  config: ProducerConfig = {},
): Promise<ProducerLike> {
  const make = (): Producer =>
    kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      ...config,
    });
  let current = make();
  let connecting: Promise<void> | undefined = current.connect();
  await connecting;

  const retire = (failed: Producer): void => {
    if (current !== failed) return;
    current = make();
    connecting = undefined;
    failed
      .disconnect()
      .catch((err: unknown) => logger.warn({ err }, 'could not disconnect a failed producer'));
  };
  const ready = async (): Promise<Producer> => {
    const producer = current;
    connecting ??= producer.connect();
    try {
      await connecting;
    } catch (err) {
      connecting = undefined;
      throw err;
    }
    return producer;
  };
  const withRenewal =
    <A extends unknown[], R>(call: (producer: Producer, ...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const producer = await ready();
      try {
        return await call(producer, ...args);
      } catch (err) {
        retire(producer);
        throw err;
      }
    };
  return {
    send: withRenewal((producer, record: Parameters<Producer['send']>[0]) => producer.send(record)),
    sendBatch: withRenewal((producer, batch: Parameters<Producer['sendBatch']>[0]) =>
      producer.sendBatch(batch),
    ),
    disconnect: () => current.disconnect(),
  };
}
