import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics';
import { createReadinessChecks } from './readiness';

describe('createReadinessChecks', () => {
  it('is ready only when every check passes, and names the failing ones', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const readiness = createReadinessChecks({ metrics });
    let kafkaUp = false;
    readiness.add('gateway.kafka', async () => kafkaUp);
    readiness.add('orchestrator.redis', async () => ({ ok: true, detail: 'PONG' }));

    expect(await readiness.report()).toEqual({
      ready: false,
      checks: { 'gateway.kafka': { ok: false }, 'orchestrator.redis': { ok: true, detail: 'PONG' } },
    });
    expect(await metrics.registry.metrics()).toContain('tactful_readiness_check{check="gateway.kafka"} 0');
    kafkaUp = true;
    expect((await readiness.report()).ready).toBe(true);
  });

  it('counts a check that throws or does not answer in time as failed, with the reason', async () => {
    const readiness = createReadinessChecks({ timeoutMs: 50 });
    readiness.add('throws', async () => {
      throw new Error('connection refused');
    });
    readiness.add('hangs', () => new Promise<boolean>(() => undefined));
    const report = await readiness.report();
    expect(report.ready).toBe(false);
    expect(report.checks['throws']).toEqual({ ok: false, detail: 'connection refused' });
    expect(report.checks['hangs']).toEqual({ ok: false, detail: 'no answer within 50 ms' });
  });

  it('refuses a name twice and forgets a removed check', async () => {
    const readiness = createReadinessChecks();
    const remove = readiness.add('a', async () => false);
    expect(() => readiness.add('a', async () => true)).toThrow(/twice/);
    remove();
    expect(await readiness.report()).toEqual({ ready: true, checks: {} });
  });
});
