import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from './paths';
import { knownMetric, metricNames } from './promql-names';

// The alert rules of infra/prometheus/alerts.yml, tested by Prometheus's own rule evaluator: `promtool test
// rules` replays the synthetic series of alerts.test.yml and compares the alerts that fire, minute by minute.

const DIR = path.join(repoRoot, 'infra', 'prometheus');
const INSTALL =
  'apt-get install -y prometheus (Debian; promtool comes with it), or put a Prometheus release on PATH';

interface Rule {
  alert: string;
  expr: string;
}
interface RuleTest {
  alert_rule_test: { alertname: string; exp_alerts: unknown[] }[];
}

function promtool(...args: string[]): { status: number | null; output: string } {
  const run = spawnSync('promtool', args, { cwd: DIR, encoding: 'utf8' });
  if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error(`promtool is not installed: ${INSTALL}`);
  }
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('Prometheus alert rules', () => {
  const rules = (
    parse(fs.readFileSync(path.join(DIR, 'alerts.yml'), 'utf8')) as { groups: { rules: Rule[] }[] }
  ).groups.flatMap((g) => g.rules);
  const tests = (
    parse(fs.readFileSync(path.join(DIR, 'alerts.test.yml'), 'utf8')) as { tests: RuleTest[] }
  ).tests.flatMap((t) => t.alert_rule_test);

  it('are valid rules (promtool check rules)', () => {
    const check = promtool('check', 'rules', 'alerts.yml');
    expect(check.status, check.output).toBe(0);
  });

  it('fire, and stay quiet, as alerts.test.yml expects (promtool test rules)', () => {
    const run = promtool('test', 'rules', 'alerts.test.yml');
    expect(run.status, run.output).toBe(0);
    expect(run.output).toContain('SUCCESS');
  });

  it('cover what an operator must hear about', () => {
    expect(rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        'TactfulConsumerGroupNotOk',
        'TactfulConsumerLagHigh',
        'TactfulDeadLettersGrowing',
        'TactfulBlastGuardTripped',
        'TactfulTimersFiringLate',
        'TactfulDeliveryUncertain',
        'TactfulNotReady',
      ]),
    );
  });

  it.each(rules.map((r) => [r.alert] as const))(
    '%s has a case where it fires and one where it does not',
    (alert) => {
      const cases = tests.filter((t) => t.alertname === alert);
      expect(cases.some((t) => t.exp_alerts.length > 0)).toBe(true);
      expect(cases.some((t) => t.exp_alerts.length === 0)).toBe(true);
    },
  );

  it('read only metrics the services register (and Prometheus its own `up`)', async () => {
    const known = await knownMetric();
    const unknown = rules.flatMap((r) =>
      metricNames(r.expr)
        .filter((name) => name !== 'up' && !known(name))
        .map((name) => `${r.alert}: ${name}`),
    );
    expect(unknown).toEqual([]);
  });
});
