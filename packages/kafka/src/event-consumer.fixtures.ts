// Shared by the tests of runEventConsumer (event-consumer.*.int.test.ts).
import { EXAMPLE_EVENTS, type TactfulEvent } from '@tactful/events';

// Timings shrunk so a failure is retried within a fraction of a second; production keeps kafkajs's.
export const CONSUMER_CONFIG = {
  sessionTimeout: 10_000,
  heartbeatInterval: 500,
  maxWaitTimeInMs: 100,
  retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 300 },
};

export function formEvent(id: string, subject: string): TactfulEvent {
  return { ...EXAMPLE_EVENTS['form.submitted'], id, subject };
}
