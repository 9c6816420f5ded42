import type { Logger } from '@tactful/observability';
import type { SmtpSender } from './smtp-sender';

export interface SmtpHealthDeps {
  readonly sender: Pick<SmtpSender, 'verify'>;
  readonly logger: Logger;
  /** How often an unreachable server is verified again. */
  readonly recheckMs: number;
}

/**
 * Whether the mail server can be talked to, for the `dispatcher.smtp` readiness check: verified at start
 * (connect, greet, authenticate, quit), then kept current by every delivery attempt; while it is
 * unreachable it is verified again every `recheckMs`, so the check recovers without traffic.
 */
export function createSmtpHealth(deps: SmtpHealthDeps) {
  const logger = deps.logger.child({ component: 'smtp-health' });
  let state: { ok: boolean; detail: string } = { ok: false, detail: 'not verified yet' };
  let timer: NodeJS.Timeout | undefined;

  function report(ok: boolean, detail: string): void {
    if (ok !== state.ok)
      logger[ok ? 'info' : 'warn']({ detail }, ok ? 'mail server reachable' : 'mail server unreachable');
    state = { ok, detail: ok ? 'the mail server answers' : `the mail server does not answer: ${detail}` };
    if (!ok && timer === undefined) {
      timer = setInterval(() => void check(), deps.recheckMs);
      timer.unref();
    }
    if (ok && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  }

  async function check(): Promise<void> {
    try {
      await deps.sender.verify();
      report(true, 'verified');
    } catch (err) {
      const e = err as { code?: string; responseCode?: number; message?: string };
      report(
        false,
        e.responseCode !== undefined ? String(e.responseCode) : (e.code ?? e.message ?? String(err)),
      );
    }
  }

  return {
    check,
    report,
    status: () => state,
    stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
  };
}
