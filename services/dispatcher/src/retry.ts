/** kafkajs-style retry timings: `initialRetryTime` grows by `factor` per attempt, up to `maxRetryTime`. */
export interface RetryOptions {
  /** Attempts after the first before the error goes back to the consumer (which re-reads the message). */
  readonly retries: number;
  readonly initialRetryTime: number;
  readonly maxRetryTime: number;
  /** Growth per attempt; default 2. */
  readonly factor?: number;
  /** Random spread of each wait, as a fraction; default 0.2. */
  readonly multiplier?: number;
}

export const DELIVERY_RETRY_DEFAULTS: RetryOptions = {
  retries: 5,
  initialRetryTime: 1000,
  maxRetryTime: 30_000,
};

/** Pure but for `random`. How long to wait before attempt `attempt + 1` (attempt counts from 1). */
export function retryDelay(
  options: RetryOptions,
  attempt: number,
  random: () => number = Math.random,
): number {
  const base = Math.min(
    options.maxRetryTime,
    options.initialRetryTime * (options.factor ?? 2) ** (attempt - 1),
  );
  const spread = options.multiplier ?? 0.2;
  return Math.max(0, Math.round(base * (1 - spread + 2 * spread * random())));
}

/**
 * Waits `ms`, telling the consumer group every `heartbeatMs` that this member is alive, and returning
 * early when `stopping()` turns true (a shutdown must not wait for a backoff).
 */
export async function waitWithHeartbeats(
  ms: number,
  heartbeat: () => Promise<void>,
  stopping: () => boolean,
  heartbeatMs = 1000,
): Promise<void> {
  const until = Date.now() + ms;
  for (let left = ms; left > 0 && !stopping(); left = until - Date.now()) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(left, heartbeatMs)));
    await heartbeat();
  }
}
