import { Partitioners, type Kafka, type Producer, type ProducerConfig } from 'kafkajs';
import type { Logger } from '@tactful/observability';

/** What the services need of a producer: sending, and closing. */
export type ProducerLike = Pick<Producer, 'send' | 'sendBatch' | 'disconnect'>;

/**
 * The services' producer: acks=all on every send, one request in flight per broker (a retry never
 * reorders one customer's messages), replaced after a failed send so the next one starts on fresh
 * connections.
 *
 * Not kafkajs's idempotent producer. That one numbers each partition's batches and needs retries without
 * limit (kafkajs warns "Limiting retries for the idempotent producer may invalidate EoS guarantees"):
 * after a send that gave up, kafkajs rolls its sequence back (producer/sendMessages.js), so if the broker
 * had in fact written that batch, the next batch reuses its numbers and is dropped as a duplicate. A
 * service must give up at some point and send again later, so a bounded idempotent producer buys nothing
 * but that risk: a repeat that a retry writes is dropped by the consumers, which deduplicate every event
 * and command by its id (invariants 1 and 2).
 */
export async function createRenewingProducer(
  kafka: Kafka,
  logger: Logger,
  config: ProducerConfig = {},
): Promise<ProducerLike> {
  const make = (): Producer =>
    kafka.producer({
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
