import { expect } from 'vitest';
import { expectClean } from './expect-clean';
import { runScenario } from './scenario';
import { sized, test } from './fault-test';

// Scenario 3: the whole `tactful run` process (every service in it: orchestrator, timers, halt sentinel,
// dispatcher, gateway with its reply capture, console) is SIGKILLed again and again at random moments
// while it works, and started again each time. Whatever it was doing is cut: a commit, a relay, an SMTP
// conversation, a reply being taken.

test('repeated SIGKILL of tactful run: nothing lost, nothing twice, nothing after a halt', async ({
  servers,
}) => {
  const kills = sized({ quick: 4, full: 10 });
  const report = await runScenario({
    name: 'process-kill',
    servers,
    customers: sized({ quick: 150, full: 500 }),
    slots: 1,
    initial: 1,
    wait: 'PT6S',
    deadlineMs: sized({ quick: 300_000, full: 600_000 }),
    async fault(ctx) {
      const killedAt: number[] = [];
      for (let round = 0; round < kills; round++) {
        // some progress since the last start (spread over welcomes, check-ins and halts alike), then a
        // moment of chance inside the work
        const seen = ctx.mailbox.received.length;
        await ctx.untilProgress(Math.min(1, ctx.progress() + 0.8 / (kills + 1)));
        if (ctx.mailbox.received.length === seen || ctx.progress() >= 1) break;
        await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 300)));
        killedAt.push(Number(ctx.progress().toFixed(2)));
        await ctx.fleet.kill(0);
        await ctx.fleet.start(0);
      }
      return { kills: ctx.fleet.kills(), killedAtProgress: killedAt };
    },
  });
  // the one loss a SIGKILL can cause by design is accepted here only if the dispatcher parked it
  expectClean(report, { lossesParkedAsUncertain: true });
  expect(report.fault.kills).toBe(kills);
});
