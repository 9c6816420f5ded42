import { Presets, SingleBar } from 'cli-progress';

export interface ReadProgress {
  update(read: number, total: number): void;
  stop(): void;
}

/** A bar on a terminal; a plain line every `intervalMs` otherwise (CI logs, pipes), so a long read is never silent. */
export function createReadProgress(options: {
  readonly stream: NodeJS.WriteStream;
  readonly intervalMs: number;
  readonly now: () => number;
  readonly what: string;
}): ReadProgress {
  const started = options.now();
  const rate = (read: number) => Math.round(read / Math.max((options.now() - started) / 1000, 0.001));
  if (options.stream.isTTY) {
    let bar: SingleBar | undefined;
    return {
      update(read, total) {
        if (bar === undefined) {
          bar = new SingleBar(
            {
              stream: options.stream,
              format: `${options.what} [{bar}] {percentage}% | {value}/{total} events | {rate} events/s | ETA {eta_formatted}`,
              hideCursor: true,
            },
            Presets.shades_classic,
          );
          bar.start(total, 0, { rate: 0 });
        }
        bar.update(read, { rate: rate(read) });
      },
      stop: () => bar?.stop(),
    };
  }
  let last = started;
  return {
    update(read, total) {
      const now = options.now();
      if (now - last < options.intervalMs) return;
      last = now;
      const share = total === 0 ? 0 : Math.floor((100 * read) / total);
      options.stream.write(
        `${options.what}: ${read} of ${total} events (${share}%), ${rate(read)} events/s\n`,
      );
    },
    stop: () => undefined,
  };
}
