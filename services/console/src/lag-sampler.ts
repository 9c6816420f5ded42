import type { LagMonitor, LagReport } from '@tactful/kafka';
import type { Logger } from '@tactful/observability';
import type { LagHistory } from './lag-history';
import { recordLagMetrics, type LagMetrics } from './lag-metrics';

export interface LagSamplerDeps {
  readonly monitor: LagMonitor;
  readonly history: LagHistory;
  readonly metrics: LagMetrics;
  readonly logger: Logger;
  readonly intervalMs: number;
}

export interface LagSampler {
  /** The newest report, or null before the first sample succeeded. */
  latest(): LagReport | null;
  /** Why the last sample failed (null when it succeeded): shown by the console, so a gap is explained. */
  lastError(): string | null;
  /** Takes one sample now (also what the loop calls). */
  sampleNow(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Samples consumer lag every `intervalMs`, the first time at once: each sample sets the lag gauges of
 * `/metrics` and is kept in the chart's history. Samples never overlap (the next one is scheduled when
 * one ends), so a slow broker stretches the interval instead of piling up admin calls.
 */
export function startLagSampler(deps: LagSamplerDeps): LagSampler {
  const logger = deps.logger.child({ component: 'lag-sampler' });
  let latest: LagReport | null = null;
  let lastError: string | null = null;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let inFlight: Promise<void> = Promise.resolve();

  async function sample(): Promise<void> {
    try {
      const report = await deps.monitor.sample();
      recordLagMetrics(deps.metrics, report);
      deps.history.add(report);
      latest = report;
      lastError = null;
    } catch (err) {
      // the next sample retries; meanwhile the console says why the chart has a gap
      lastError = err instanceof Error ? err.message : String(err);
      logger.warn({ err }, 'could not sample consumer lag');
    }
  }

  function loop(): void {
    inFlight = sample().then(() => {
      if (!stopped) timer = setTimeout(loop, deps.intervalMs).unref();
    });
  }
  loop();

  return {
    latest: () => latest,
    lastError: () => lastError,
    sampleNow: () => sample(),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
    },
  };
}
