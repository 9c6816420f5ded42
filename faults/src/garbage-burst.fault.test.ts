import { expect } from 'vitest';
import { burstItems, burstMessage, type BurstShape } from './burst';
import { expectClean } from './expect-clean';
import { EXPECTED_REASON, GARBAGE_KINDS, type GarbageKind } from './garbage';
import { runScenario, type ScenarioContext } from './scenario';
import { SCALE, sized, test } from './fault-test';

// Scenario 6: a burst of events with 5 % garbage of every kind N.events can be sent (invalid JSON, an
// unknown type, a schema violation, a key that is not the subject, no key, 5,000 levels of nesting, a
// gzip-produced value over 1 MiB, a timer.fired from outside), exact repeats of earlier events, and the
// journey's customers spread through it. Every bad message must reach N.dlq with its reason, every other
// one be applied or dropped as a duplicate, and the process must keep going throughout.

const SHAPE: BurstShape = {
  total: sized({ quick: 10_000, full: 100_000 }),
  garbage: 0.05,
  duplicates: 0.01,
  viewers: sized({ quick: 1000, full: 5000 }),
};

async function publishBurst(ctx: ScenarioContext, produced: Map<GarbageKind, number>): Promise<void> {
  const items = burstItems(
    SHAPE,
    ctx.plan.customers.map((c) => c.id),
  );
  const context = { namespace: ctx.namespace, viewers: SHAPE.viewers };
  let plain: Parameters<ScenarioContext['publish']>[0][number][] = [];
  const flush = async (): Promise<void> => {
    if (plain.length > 0) await ctx.publish(plain);
    plain = [];
  };
  for (const item of items) {
    if (item.kind === 'garbage') produced.set(item.garbage, (produced.get(item.garbage) ?? 0) + 1);
    const { message, gzip } = burstMessage(context, item);
    if (!gzip) {
      plain.push(message);
      if (plain.length >= 500) await flush();
      continue;
    }
    // in stream order: what came before it first, then it alone, compressed as its producer would
    await flush();
    await ctx.publish([message], { gzip: true });
  }
  await flush();
}

test(`a burst of ${SHAPE.total.toLocaleString('en')} events, 5 % garbage of every kind (${SCALE}): every one applied, duplicate or dead-lettered with its reason`, async ({
  servers,
}) => {
  const produced = new Map<GarbageKind, number>();
  const report = await runScenario({
    name: 'garbage-burst',
    servers,
    customers: sized({ quick: 100, full: 500 }),
    slots: 1,
    initial: 1,
    wait: 'PT6S',
    deadlineMs: sized({ quick: 300_000, full: 900_000 }),
    burst: (ctx) => publishBurst(ctx, produced),
    async fault() {
      return { burst: SHAPE.total };
    },
  });
  expectClean(report);
  const garbage = [...produced.values()].reduce((a, b) => a + b, 0);
  expect(garbage).toBe(Math.round(SHAPE.total * SHAPE.garbage));
  // every message of every kind in N.dlq once, with the reason of its kind, and nothing else there
  expect(report.garbage).toEqual(
    Object.fromEntries(GARBAGE_KINDS.map((kind) => [kind, { [EXPECTED_REASON[kind]]: produced.get(kind) }])),
  );
  expect(report.deadLettered).toBe(garbage);
});
