import { expect } from 'vitest';
import { expectClean } from './expect-clean';
import { runScenario } from './scenario';
import { sized, test } from './fault-test';

// Scenario 5: the mail server fails twice while mail goes out: first it answers every message with 451
// (a transient refusal, after the whole message came), then it is stopped (connections refused) and
// started again. Sends wait and are retried; none may go twice, none may be dropped, and the replies that
// arrive meanwhile still win over what waits.

test('an SMTP outage (4xx for a while, then the server down and back): nothing lost, nothing twice, nothing after a halt', async ({
  servers,
}) => {
  const phaseMs = sized({ quick: 3000, full: 5000 });
  const report = await runScenario({
    name: 'smtp-outage',
    servers,
    customers: sized({ quick: 150, full: 500 }),
    slots: 1,
    initial: 1,
    wait: 'PT6S',
    deadlineMs: sized({ quick: 300_000, full: 480_000 }),
    async fault(ctx) {
      await ctx.untilProgress(0.15);
      const refusingAt = Number(ctx.progress().toFixed(2));
      ctx.mailbox.failAll({ code: 451, message: '4.3.0 mailbox busy, try again later' });
      // each phase is the outage itself, not a wait for an effect
      await new Promise((r) => setTimeout(r, phaseMs));
      ctx.mailbox.failAll(undefined);
      await ctx.untilProgress(Math.min(0.6, ctx.progress() + 0.2));
      const downAt = Number(ctx.progress().toFixed(2));
      await ctx.mailbox.stop();
      await new Promise((r) => setTimeout(r, phaseMs));
      await ctx.mailbox.start();
      return { refusingAtProgress: refusingAt, downAtProgress: downAt, phaseMs };
    },
  });
  expectClean(report);
  expect(report.fault.smtpRefusals, 'the 4xx phase refused some messages').toBeGreaterThan(0);
});
