import { expectClean } from './expect-clean';
import { runScenario } from './scenario';
import { sized, test } from './fault-test';

// Scenario 4: the work moves between processes while it is done: one `tactful run`, then three (two more
// join every consumer group: partitions, timers, claims and halt marks are shared through Kafka and
// Redis), then back to one (the two leave with SIGTERM). Replies mailed to a process's inbound port go to
// whichever process is up.

test('a rebalance from one process to three and back to one: nothing lost, nothing twice, nothing after a halt', async ({
  servers,
}) => {
  const report = await runScenario({
    name: 'rebalance',
    servers,
    customers: sized({ quick: 150, full: 500 }),
    slots: 3,
    initial: 1,
    wait: 'PT6S',
    deadlineMs: sized({ quick: 300_000, full: 480_000 }),
    async fault(ctx) {
      await ctx.untilProgress(0.15);
      const grewAt = Number(ctx.progress().toFixed(2));
      await Promise.all([ctx.fleet.start(1), ctx.fleet.start(2)]);
      await ctx.untilProgress(Math.min(0.6, ctx.progress() + 0.25));
      const shrankAt = Number(ctx.progress().toFixed(2));
      const codes = await Promise.all([ctx.fleet.stop(1), ctx.fleet.stop(2)]);
      return { grewAtProgress: grewAt, shrankAtProgress: shrankAt, leaverExitCodes: codes };
    },
  });
  expectClean(report);
});
