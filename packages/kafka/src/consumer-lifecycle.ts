import type { Consumer } from 'kafkajs';
import type { Logger } from '@tactful/observability';

export interface ConsumerLifecycle {
  /** False once the consumer stopped for good (a failure it does not retry, or `stop()`). */
  isRunning(): boolean;
  /** For a readiness check: running and a member of its group. */
  isReady(): boolean;
  /** Resolves when the consumer stops for good: with the error that stopped it, or undefined after `stop()`. */
  readonly stopped: Promise<Error | undefined>;
  /** Finishes the message or batch in hand, commits, leaves the group and disconnects. */
  stop(): Promise<void>;
}

/**
 * Follows a kafkajs consumer's life for the services that run one: membership (from `GROUP_JOIN` until a
 * crash) for readiness, and the end. kafkajs restarts the consumer by itself after a retriable failure, so
 * only a crash it does not restart from, or `stop()`, settles `stopped`. Call it before `consumer.run`, so
 * the first join is seen.
 */
export function trackConsumerLifecycle(consumer: Consumer, logger: Logger): ConsumerLifecycle {
  let running = true;
  let joined = false;
  let stopping = false;
  let settle: (error: Error | undefined) => void = () => undefined;
  const stopped = new Promise<Error | undefined>((resolve) => {
    settle = resolve;
  });

  consumer.on(consumer.events.GROUP_JOIN, () => {
    joined = true;
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    joined = false;
    if (payload.restart) {
      logger.warn({ err: payload.error }, 'consumer failed; restarting from the last committed offset');
      return;
    }
    running = false;
    logger.error({ err: payload.error }, 'consumer stopped: the failure is not retriable');
    settle(payload.error);
  });

  return {
    isRunning: () => running,
    isReady: () => running && joined,
    stopped,
    async stop() {
      if (stopping) return;
      stopping = true;
      running = false;
      // also after a crash it did not restart from: disconnecting twice is harmless, a leaked connection is not
      await consumer.disconnect();
      logger.info('stopped');
      settle(undefined);
    },
  };
}
