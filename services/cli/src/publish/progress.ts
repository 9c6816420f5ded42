import { Presets, SingleBar } from 'cli-progress';
import type { PublishCounts } from './publish-records';

export interface Progress {
  update(counts: PublishCounts): void;
  stop(): void;
}

export interface ProgressOptions {
  /** Where progress goes (stderr, so stdout keeps only the summary). */
  readonly stream: NodeJS.WriteStream;
  /** Size of the input, when it is a file. */
  readonly totalBytes?: number;
  /** Between two progress lines when there is no terminal to draw a bar on. */
  readonly intervalMs: number;
  readonly now: () => number;
}

/** Inputs below this finish in about a second: a bar would only flicker. */
export const LARGE_INPUT_BYTES = 1024 * 1024;

/**
 * A bar on a terminal for a large file (by bytes read, with events sent and the rate); plain progress
 * lines at `intervalMs` otherwise (CI logs, pipes, stdin), so a long run is never silent.
 */
export function createProgress(options: ProgressOptions): Progress {
  const started = options.now();
  const rate = (sent: number) => Math.round(sent / Math.max((options.now() - started) / 1000, 0.001));
  const { totalBytes } = options;

  if (options.stream.isTTY && totalBytes !== undefined) {
    if (totalBytes < LARGE_INPUT_BYTES) return { update: () => undefined, stop: () => undefined };
    const bar = new SingleBar(
      {
        stream: options.stream,
        format:
          'publishing [{bar}] {percentage}% | {sent} sent | {rejected} rejected | {rate} events/s | ETA {eta_formatted}',
        hideCursor: true,
      },
      Presets.shades_classic,
    );
    bar.start(totalBytes, 0, { sent: 0, rejected: 0, rate: 0 });
    return {
      update: (c) => bar.update(c.bytesRead, { sent: c.sent, rejected: c.rejected, rate: rate(c.sent) }),
      stop: () => bar.stop(),
    };
  }

  let last = started;
  return {
    update(c) {
      const now = options.now();
      if (now - last < options.intervalMs) return;
      last = now;
      const share =
        totalBytes === undefined || totalBytes === 0
          ? ''
          : `, ${Math.floor((100 * c.bytesRead) / totalBytes)}% of the input`;
      options.stream.write(
        `published ${c.sent} events (${c.rejected} rejected)${share}, ${rate(c.sent)} events/s\n`,
      );
    },
    stop: () => undefined,
  };
}
