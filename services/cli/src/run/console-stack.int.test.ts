import { afterEach, describe, expect } from 'vitest';
import type { ReadinessReport } from '@tactful/observability';
import { eventually, test } from '@tactful/testing';
import type { Stack } from './stack';
import { event, publish, shortJourneys, startTestStack, writePolicy } from './test-stack';

// `tactful run` with the console: one ops server whose /readyz waits for every service's consumer, and
// whose /metrics carries the lag gauges the console samples.

describe('tactful run with the console', () => {
  let stack: Stack | undefined;
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });

  test('/readyz is 503 until every consumer joined, then 200; /healthz 200; /metrics has the lag gauges', async ({
    kafka,
    servers,
    namespace,
  }) => {
    stack = await startTestStack({
      servers,
      namespace,
      journeys: await shortJourneys(),
      policy: await writePolicy(),
      services: ['orchestrator', 'scheduler', 'console'],
    });
    const { url } = stack;

    // from the moment the server listens: every answer is 503 until one is 200, and while it is 503 only
    // checks of services still starting fail. In practice the first answer is already 200: kafkajs's
    // `consumer.run` resolves only after the group join, and the stack listens after every service
    // started, so before the consumers joined a probe finds no server at all (connection refused)
    const answers: { status: number; report: ReadinessReport }[] = [];
    const ready = await eventually('/readyz to answer 200', async () => {
      const response = await fetch(`${url}/readyz`);
      const answer = { status: response.status, report: (await response.json()) as ReadinessReport };
      answers.push(answer);
      return answer.status === 200 ? answer : undefined;
    });
    for (const { status, report } of answers.slice(0, -1)) {
      expect(status).toBe(503);
      expect(report.ready).toBe(false);
      const failing = Object.entries(report.checks)
        .filter(([, c]) => !c.ok)
        .map(([name]) => name);
      expect(failing.length).toBeGreaterThan(0);
      for (const name of failing)
        expect(['orchestrator.consumer', 'scheduler.timers', 'console.consumer']).toContain(name);
    }
    expect(ready.report.ready).toBe(true);
    expect(Object.keys(ready.report.checks).sort()).toEqual([
      'console.consumer',
      'orchestrator.consumer',
      'redis',
      'scheduler.timers',
    ]);
    expect(Object.values(ready.report.checks).every((c) => c.ok)).toBe(true);

    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    // once the orchestrator committed an offset, its lag on every partition is a gauge
    await publish(kafka, [event('page.viewed', 'ann', { url: 'https://example.com/' })]);
    const group = `${namespace}.orchestrator`;
    const metrics = await eventually('the lag gauges of the orchestrator', async () => {
      const text = await (await fetch(`${url}/metrics`)).text();
      return text.includes(`tactful_consumer_lag_messages{group="${group}",topic="${namespace}.events"`)
        ? text
        : undefined;
    });
    expect(metrics).toMatch(
      new RegExp(
        `^tactful_consumer_lag_seconds\\{group="${group}",topic="${namespace}\\.events",partition="\\d"\\} `,
        'm',
      ),
    );
    expect(metrics).toContain(`tactful_consumer_group_status{group="${group}",status="OK"} 1`);
    expect(metrics).toContain(`tactful_consumer_group_status{group="${group}",status="STOPPED"} 0`);
    // the console's own group is measured like any other
    expect(metrics).toContain(`tactful_consumer_group_status{group="${namespace}.console",status=`);
    expect(metrics).toContain('tactful_readiness_check{check="console.consumer"} 1');
  });
});
