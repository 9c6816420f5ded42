import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findOffsetTimestamps, type FirstOffsetsAt } from './offset-timestamp';

const NOW = 1_700_000_000_000;

/**
 * A broker's answer to ListOffsets by timestamp over in-memory partitions: the first offset from the log
 * start whose timestamp is ≥ t, else the log end. `logs[p]` holds the timestamps from offset 0.
 */
function broker(
  logs: number[][],
  logStart: number[],
): { firstOffsetsAt: FirstOffsetsAt; queries: () => number } {
  let queries = 0;
  return {
    firstOffsetsAt: async (t) => {
      queries += 1;
      if (t < 0) throw new Error(`negative timestamp ${t} asked`);
      return logs.map((log, partition) => {
        const start = logStart[partition] ?? 0;
        const i = log.findIndex((ts, o) => o >= start && ts >= t);
        return { partition, offset: String(i === -1 ? log.length : i) };
      });
    },
    queries: () => queries,
  };
}

describe('findOffsetTimestamps', () => {
  it('finds the timestamp of the message at an offset when timestamps grow', async () => {
    const log = [NOW - 90_000, NOW - 60_000, NOW - 60_000, NOW - 1234, NOW];
    const { firstOffsetsAt } = broker([log], [0]);
    const found = await findOffsetTimestamps(
      [0, 1, 2, 3, 4].map((offset) => ({ partition: 0, offset })),
      firstOffsetsAt,
      { now: NOW },
    );
    expect(found).toEqual([
      { timestamp: NOW - 90_000, exact: true },
      { timestamp: NOW - 60_000, exact: true },
      // a tie with the message before it: the time is still its own, but the broker cannot confirm it
      { timestamp: NOW - 60_000, exact: false },
      { timestamp: NOW - 1234, exact: true },
      { timestamp: NOW, exact: true },
    ]);
  });

  it('never dates a message later than the newest timestamp before it (a lower bound on its age)', async () => {
    const log = [NOW - 5000, NOW - 1000, NOW - 9000];
    const [found] = await findOffsetTimestamps(
      [{ partition: 0, offset: 2 }],
      broker([log], [0]).firstOffsetsAt,
      {
        now: NOW,
      },
    );
    expect(found).toEqual({ timestamp: NOW - 1000, exact: false });
  });

  it('answers null when no message up to the offset has a timestamp', async () => {
    const [found] = await findOffsetTimestamps(
      [{ partition: 0, offset: 1 }],
      broker([[-1, -1, NOW]], [0]).firstOffsetsAt,
      {
        now: NOW,
      },
    );
    expect(found).toBeNull();
  });

  it('follows timestamps from the future', async () => {
    const [found] = await findOffsetTimestamps(
      [{ partition: 0, offset: 0 }],
      broker([[NOW + 3_600_000]], [0]).firstOffsetsAt,
      {
        now: NOW,
      },
    );
    expect(found).toEqual({ timestamp: NOW + 3_600_000, exact: true });
  });

  const timestamp = fc.oneof(
    fc.integer({ min: NOW - 7 * 86_400_000, max: NOW }),
    fc.integer({ min: 0, max: NOW + 86_400_000 }),
    fc.constant(-1),
  );
  const partitions = fc.array(
    fc
      .array(timestamp, { minLength: 1, maxLength: 30 })
      .chain((log) => fc.tuple(fc.constant(log), fc.integer({ min: 0, max: log.length - 1 }))),
    { minLength: 1, maxLength: 4 },
  );

  it('for every log and offset: the newest timestamp up to it, exact exactly when the broker confirms it', async () => {
    await fc.assert(
      fc.asyncProperty(
        partitions,
        fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 6 }),
        async (parts, picks) => {
          const logs = parts.map(([log]) => log);
          const starts = parts.map(([, start]) => start);
          const targets = picks.map(([p, o]) => {
            const partition = p % logs.length;
            const start = starts[partition]!;
            return { partition, offset: start + (o % (logs[partition]!.length - start)) };
          });
          const { firstOffsetsAt, queries } = broker(logs, starts);
          const found = await findOffsetTimestamps(targets, firstOffsetsAt, { now: NOW });
          for (const [i, { partition, offset }] of targets.entries()) {
            const log = logs[partition]!;
            const newest = Math.max(...log.slice(starts[partition], offset + 1));
            if (newest < 0) {
              expect(found[i]).toBeNull();
              continue;
            }
            const first = log.findIndex((ts, o) => o >= starts[partition]! && ts >= newest);
            expect(found[i]).toEqual({ timestamp: newest, exact: first === offset });
            expect(newest).toBeGreaterThanOrEqual(log[offset]!);
          }
          expect(queries()).toBeLessThanOrEqual(4 * 54 * targets.length);
        },
      ),
    );
  });
});
