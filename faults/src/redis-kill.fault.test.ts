import { expectClean } from './expect-clean';
import { runScenario } from './scenario';
import { sized, test } from './fault-test';

// Scenario 2: Redis (append-only file synced at every write) is SIGKILLed three times while mail goes out,
// each time started again on the same data after a short outage. Every service loses its state store at
// once: the orchestrator's commits, the timers, the sentinel's marks, the dispatcher's delivery records.

test('Redis SIGKILL and restart three times during delivery: nothing lost, nothing twice, nothing after a halt', async ({
  servers,
}) => {
  const outageMs = sized({ quick: 1500, full: 3000 });
  const report = await runScenario({
    name: 'redis-kill',
    servers,
    customers: sized({ quick: 150, full: 500 }),
    slots: 1,
    initial: 1,
    wait: 'PT6S',
    deadlineMs: sized({ quick: 240_000, full: 420_000 }),
    async fault(ctx) {
      const killedAt: number[] = [];
      for (const share of [0.15, 0.45, 0.75]) {
        await ctx.untilProgress(share);
        killedAt.push(Number(ctx.progress().toFixed(2)));
        await ctx.servers.redis.kill();
        // the outage itself, not a wait for an effect
        await new Promise((r) => setTimeout(r, outageMs));
        await ctx.servers.redis.start();
      }
      return { kills: killedAt.length, killedAtProgress: killedAt, outageMs };
    },
  });
  expectClean(report);
});
