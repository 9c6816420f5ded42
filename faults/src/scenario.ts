import { encodeEvent, topicsFor } from '@tactful/events';
import { eventually } from '../../packages/testing/src/poll';
import { accountForEvents, type EventAccount } from './accounting';
import type { Halter } from './halter';
import { openScenario, type ScenarioContext, type ScenarioOptions } from './scenario-context';
import { formSubmitted } from './scenario-events';
import { tally, type Tally } from './tally';
import { groupLag } from './topic-probe';

// One fault scenario, start to finish: the customers of the two-stage journey (a tenth of them halting as
// soon as their first mail arrives) published to the run's own broker, `tactful run` as child processes,
// the fault played meanwhile, then the count: at the SMTP server (sent, lost, duplicated, sent after a
// halt) and on Kafka (every event applied, duplicate or dead-lettered). It prints the count as one JSON
// line and returns it for the test to assert.

export type { ScenarioContext, ScenarioOptions } from './scenario-context';

export interface FaultReport extends Omit<Tally, 'examples'> {
  readonly scenario: string;
  readonly customers: number;
  readonly halted: number;
  readonly events: number;
  readonly deadLettered: number;
  readonly unaccounted: number;
  readonly replay: EventAccount['replay'];
  readonly reasons: EventAccount['reasons'];
  readonly garbage: EventAccount['garbage'];
  /** Commands the dispatcher dead-lettered, by reason (a `delivery_uncertain` whose mail arrived is no loss). */
  readonly commandDeadLetters: EventAccount['commandReasons'];
  readonly seconds: number;
  /** `tactful run` processes that exited without being killed or stopped (must be 0). */
  readonly crashes: number;
  /** The exit codes of the processes stopped with SIGTERM at the end (each must be 0). */
  readonly stopExitCodes: readonly (number | null)[];
  readonly fault: Record<string, unknown>;
  readonly examples?: readonly string[];
  readonly crashLog?: readonly string[];
}

export async function runScenario(options: ScenarioOptions): Promise<FaultReport> {
  const started = Date.now();
  const { ctx, halter, ended, parked, close } = await openScenario(options);
  const { fleet, mailbox, plan, namespace } = ctx;
  try {
    await Promise.all(Array.from({ length: options.initial }, (_, i) => fleet.start(i)));
    const fault = options.fault(ctx);
    const burst = options.burst
      ? options.burst(ctx)
      : ctx.publish(plan.customers.map((c) => encodeEvent(formSubmitted(namespace, c.id))));
    const [faultNotes] = await Promise.all([fault, burst]);

    const settled = await settle(ctx, halter, { ended, parked }, options.deadlineMs - (Date.now() - started));
    const stops = [];
    for (const slot of fleet.live()) stops.push(await fleet.stop(slot.index));
    const crashes = fleet.crashes();
    const account = await accountForEvents({ ...ctx, timeoutMs: options.deadlineMs });
    const { examples, ...counts } = tally(plan, mailbox.deliveries(), halter.haltedAt, parked);
    const report: FaultReport = {
      scenario: options.name,
      customers: plan.customers.length,
      halted: halter.haltedAt.size,
      ...counts,
      events: account.events,
      deadLettered: account.deadLettered,
      unaccounted: account.events - account.replay.duplicate - account.deadLettered,
      replay: account.replay,
      reasons: account.reasons,
      garbage: account.garbage,
      commandDeadLetters: account.commandReasons,
      seconds: Math.round((Date.now() - started) / 1000),
      crashes: crashes.length,
      stopExitCodes: stops,
      fault: { ...faultNotes, settled, halts: halter.stats(), smtpRefusals: mailbox.refusals() },
      ...(examples.length > 0 ? { examples } : {}),
      ...(crashes.length > 0 ? { crashLog: crashes.map((c) => c.slice(-2000)) } : {}),
    };
    console.log(JSON.stringify(report));
    return report;
  } finally {
    await close();
  }
}

/** Templates owed that neither arrived nor were parked as uncertain (they may still come). */
function outstanding(ctx: ScenarioContext, parked: ReadonlySet<string>): number {
  const arrived = new Set(ctx.mailbox.deliveries().map((d) => `${d.customer}/${d.template}`));
  const { customers, templates } = ctx.plan;
  return customers.reduce((sum, c) => {
    const owed = c.halt === undefined ? templates : templates.slice(0, 1);
    return sum + owed.filter((t) => !arrived.has(`${c.id}/${t}`) && !parked.has(`${c.id}/${t}`)).length;
  }, 0);
}

/**
 * Waits until nothing more can happen: every template owed arrived (or was parked as uncertain, so it
 * never will), every halt was acknowledged, every journey ended (completed or halted: no wait is left to
 * fire), and every consumer group is at the end of its topic. At the deadline it resolves with the
 * reason instead (the count that follows says what is missing).
 */
async function settle(
  ctx: ScenarioContext,
  halter: Halter,
  audit: { ended: ReadonlySet<string>; parked: ReadonlySet<string> },
  timeoutMs: number,
): Promise<true | string> {
  const topics = topicsFor(ctx.namespace);
  await halter.settled();
  const groups: [string, string][] = [
    [`${ctx.namespace}.orchestrator`, topics.events],
    [`${ctx.namespace}.sentinel`, topics.events],
    [`${ctx.namespace}.dispatcher`, topics.commands],
  ];
  return eventually(
    'every template owed delivered, every journey ended, every group caught up',
    async () => {
      if (outstanding(ctx, audit.parked) > 0 || ctx.plan.customers.some((c) => !audit.ended.has(c.id)))
        return undefined;
      const lags = await Promise.all(groups.map(([group, topic]) => groupLag(ctx.admin, group, topic)));
      return lags.every((lag) => lag === 0) ? true : undefined;
    },
    { timeoutMs: Math.max(timeoutMs, 10_000), intervalMs: 250 },
  ).then(
    () => true as const,
    // the deadline passed: the count that follows says what is missing; the reason goes in the report
    (err: unknown) => (err instanceof Error ? err.message : String(err)),
  );
}
