import type { Admin } from 'kafkajs';
import { hasReachedEnds, readCommittedOffsets, readLogEnds, type LogEnds } from './group-offsets';

export interface ReadBarrierOptions {
  readonly admin: Admin;
  readonly topic: string;
  /** The group whose committed offsets must reach the topic's end. */
  readonly groupId: string;
  /** Between two reads of the group's committed offsets while a round waits. Default 10 ms. */
  readonly pollMs?: number;
  /** A round that has not seen the group reach its ends after this long answers false. Default 1000 ms. */
  readonly roundTimeoutMs?: number;
}

export interface ReadBarrier {
  /**
   * Resolves true once the group has committed, on every partition, at least the end offset the topic had
   * at a moment after this call: every message acknowledged by Kafka before the call has then been read
   * and committed by the group. False when that took longer than the round's timeout; rejects when Kafka
   * does not answer. Concurrent callers share rounds.
   */
  passed(): Promise<boolean>;
}

interface Waiter {
  resolve(passed: boolean): void;
  reject(err: unknown): void;
}

/**
 * Read-your-writes across two consumer groups: a group that acts on another group's work (the dispatcher
 * on the halt sentinel's marks) asks whether that group has read everything written up to now. Rounds run
 * one after another: each reads the topic's end offsets once, after every caller of the round arrived, then
 * polls the group's committed offsets until they reach those ends. A group that commits after each batch
 * (kafkajs' `eachBatch` with `autoCommit`) reaches them one batch after the message, in milliseconds.
 */
export function createReadBarrier(options: ReadBarrierOptions): ReadBarrier {
  const { admin, topic, groupId } = options;
  const pollMs = options.pollMs ?? 10;
  const roundTimeoutMs = options.roundTimeoutMs ?? 1000;
  let waiting: Waiter[] = [];
  let running = false;

  const reached = async (ends: LogEnds): Promise<boolean> => {
    // nothing to read anywhere: no need to ask for the group's offsets
    if (hasReachedEnds([], ends)) return true;
    return hasReachedEnds(await readCommittedOffsets(admin, groupId, [topic]), ends);
  };

  const round = async (): Promise<boolean> => {
    const ends = await readLogEnds(admin, [topic]);
    const deadline = Date.now() + roundTimeoutMs;
    for (;;) {
      if (await reached(ends)) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  };

  const pump = async (): Promise<void> => {
    running = true;
    try {
      while (waiting.length > 0) {
        const batch = waiting;
        waiting = [];
        try {
          const passed = await round();
          for (const w of batch) w.resolve(passed);
        } catch (err) {
          for (const w of batch) w.reject(err);
        }
      }
    } finally {
      running = false;
    }
  };

  return {
    passed() {
      return new Promise<boolean>((resolve, reject) => {
        waiting.push({ resolve, reject });
        if (!running) void pump();
      });
    },
  };
}
