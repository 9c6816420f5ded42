import { encodeEvent } from '@tactful/events';
import { eventually } from '../../packages/testing/src/poll';
import { expectClean } from './expect-clean';
import { runScenario, type ScenarioContext } from './scenario';
import { formSubmitted } from './scenario-events';
import { sized, test } from './fault-test';

// Scenario 1: the Kafka broker is SIGKILLed in the middle of the burst, half of it published, stays down
// for a while, and is started again on the same data. Every client loses it at once: the publisher of the
// rest of the burst, the services' consumers and producers, the halts being published, the lag of the
// halt sentinel that the dispatcher watches.

const CHUNKS = 20;

test('broker SIGKILL and restart mid-burst: nothing lost, nothing twice, nothing after a halt', async ({
  servers,
}) => {
  const outageMs = sized({ quick: 5000, full: 10_000 });
  let published = 0;
  const report = await runScenario({
    name: 'broker-kill',
    servers,
    customers: sized({ quick: 150, full: 500 }),
    slots: 1,
    initial: 1,
    wait: 'PT6S',
    deadlineMs: sized({ quick: 240_000, full: 420_000 }),
    // the burst as a stream: a chunk of form submissions every 400 ms, retried through the outage
    async burst(ctx: ScenarioContext) {
      const customers = ctx.plan.customers;
      const size = Math.ceil(customers.length / CHUNKS);
      for (let i = 0; i < customers.length; i += size) {
        await ctx.publish(
          customers.slice(i, i + size).map((c) => encodeEvent(formSubmitted(ctx.namespace, c.id))),
        );
        published += 1;
        await new Promise((r) => setTimeout(r, 400));
      }
    },
    async fault(ctx) {
      await eventually('half of the burst published', () => (published >= CHUNKS / 2 ? true : undefined), {
        timeoutMs: 60_000,
      });
      const killedAt = { chunks: published, progress: Number(ctx.progress().toFixed(2)) };
      await ctx.servers.kafka.kill();
      // the outage itself, not a wait for an effect: every client finds the broker gone meanwhile
      await new Promise((r) => setTimeout(r, outageMs));
      const restart = Date.now();
      await ctx.servers.kafka.start();
      return { killedAt, outageMs, restartMs: Date.now() - restart };
    },
  });
  // every send waits until the sentinel has read N.events to its end at most 500 ms before the last-mile
  // check; a halt acknowledged within that, or while the message goes to the server, is not seen by it
  expectClean(report, { sendsAfterHaltWithinMs: 1000 });
});
