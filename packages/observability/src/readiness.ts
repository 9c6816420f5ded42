import type { TactfulMetrics } from './metrics';

/** What one readiness check found. `detail` says why it failed (or what it checked), for people. */
export interface CheckResult {
  readonly ok: boolean;
  readonly detail?: string;
}

/** A check answers whether one dependency of one service is usable right now; it may throw. */
export type ReadinessCheck = () => Promise<boolean | CheckResult>;

/** The body of `/readyz`. */
export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, CheckResult>>;
}

export interface ReadinessChecks {
  /** Registers a check under a unique name (`gateway.kafka`); returns a function that removes it. */
  add(name: string, check: ReadinessCheck): () => void;
  /** Runs every check at once; ready only when each passed within the timeout. */
  report(): Promise<ReadinessReport>;
}

export interface ReadinessOptions {
  /** A check that has not answered by then counts as failed, so `/readyz` answers before a probe gives up. */
  readonly timeoutMs?: number;
  readonly metrics?: Pick<TactfulMetrics, 'readinessCheck'>;
}

/**
 * The readiness checks of one process. `tactful run` hands one set to every service it starts, so `/readyz`
 * is ready only once every service is. A failed check runs again at the next `/readyz`, never latches.
 */
export function createReadinessChecks(options: ReadinessOptions = {}): ReadinessChecks {
  const timeoutMs = options.timeoutMs ?? 2000;
  const checks = new Map<string, ReadinessCheck>();

  return {
    add(name, check) {
      if (checks.has(name)) throw new Error(`readiness check ${name} is registered twice`);
      checks.set(name, check);
      return () => {
        checks.delete(name);
      };
    },
    async report() {
      const entries = await Promise.all(
        [...checks].map(async ([name, check]) => [name, await runCheck(check, timeoutMs)] as const),
      );
      for (const [name, result] of entries)
        options.metrics?.readinessCheck.set({ check: name }, result.ok ? 1 : 0);
      return { ready: entries.every(([, result]) => result.ok), checks: Object.fromEntries(entries) };
    },
  };
}

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${timeoutMs} ms` }), timeoutMs);
  });
  try {
    const outcome = await Promise.race([
      check().then((r): CheckResult => (typeof r === 'boolean' ? { ok: r } : r)),
      timeout,
    ]);
    return outcome;
  } catch (err) {
    return { ok: false, detail: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}
