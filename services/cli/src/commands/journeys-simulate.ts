import type { Command } from 'commander';
import { parseIsoDuration } from '@tactful/journeys';
import { TactfulEnv } from '@tactful/observability';
import { commandConfig } from '../env';
import { renderTimelineRun } from '../journeys/simulate-render';
import { simulateFile } from '../journeys/simulate-run';

interface SimulateFlags {
  timeline: string;
  profile?: string;
  json?: boolean;
  withJourneys?: string | boolean;
  start?: string;
  deployAt?: string;
  previous?: string;
}

/** `tactful journeys simulate FILE --timeline FILE`: the journey on a virtual clock, nothing sent. */
export function simulateCommand(journeys: Command): void {
  journeys
    .command('simulate')
    .argument('<file>', 'the journey file to try')
    .summary('one person’s timeline through the engine and the policy on a virtual clock')
    .description(
      'play a timeline of one person’s events through the real engine and the contact policy ' +
        '(TACTFUL_POLICY) on a virtual clock: waits of days pass at once, every send is reported back as ' +
        'the dispatcher would, and every decision (entered, sent, deferred and until when, suppressed ' +
        'and why, halted, completed) is printed at its virtual time. No Kafka, Redis or email.',
    )
    .requiredOption(
      '-t, --timeline <file>',
      'the events (YAML or JSON): customer?, profile?, start?, events: [{ at, type, data }], until?',
    )
    .option(
      '-p, --profile <file>',
      'who the person is before the first event (replaces the timeline’s profile)',
    )
    .option(
      '-w, --with-journeys [dir]',
      'run the other journeys of this folder beside it (default TACTFUL_JOURNEYS), sharing the contact budget and the never-twice ledger',
    )
    .option('--start <instant>', 'where the clock starts when the timeline has no start (default: now)')
    .option(
      '--deploy-at <duration>',
      'deploy the file at this point of the clock (ISO 8601 duration from the start): until then the person lives on the earlier version, then its migrate moves them',
    )
    .option(
      '--previous <file>',
      'with --deploy-at: the earlier version (default: the version its migrate names, from --with-journeys or TACTFUL_JOURNEYS)',
    )
    .option('--json', 'print the decisions as a JSON array of audit records, on the virtual clock')
    .addHelpText(
      'after',
      '\nExample:\n  tactful journeys simulate journeys/whitepaper-nurture.yaml --timeline docs/timelines/whitepaper-reply.yaml\n' +
        '  tactful journeys simulate journeys/trip-planning.yaml --timeline docs/timelines/browse-then-book.yaml --with-journeys',
    )
    .action((file: string, flags: SimulateFlags) => simulate(journeys, file, flags));
}

/** Runs the simulation the flags describe and prints it. */
async function simulate(journeys: Command, file: string, flags: SimulateFlags): Promise<void> {
  const start = flags.start === undefined ? Date.now() : Date.parse(flags.start);
  if (Number.isNaN(start))
    journeys.error(`--start must be an ISO 8601 instant, not ${flags.start}`, { exitCode: 2 });
  const config = commandConfig(TactfulEnv, process.env);
  const journeysDir =
    flags.withJourneys === undefined || flags.withJourneys === false
      ? undefined
      : flags.withJourneys === true
        ? config.TACTFUL_JOURNEYS
        : flags.withJourneys;
  const deployAt = flags.deployAt === undefined ? undefined : parseIsoDuration(flags.deployAt);
  if (deployAt !== undefined && 'error' in deployAt)
    journeys.error(`--deploy-at: ${deployAt.error}`, { exitCode: 2 });
  const { context, timeline, run, previous } = await simulateFile({
    file,
    timelineFile: flags.timeline,
    ...(flags.profile === undefined ? {} : { profileFile: flags.profile }),
    policyFile: config.TACTFUL_POLICY,
    ...(journeysDir === undefined ? {} : { journeysDir }),
    start,
    ...(deployAt !== undefined && 'ms' in deployAt
      ? {
          deployAt: deployAt.ms,
          previousDir: journeysDir ?? config.TACTFUL_JOURNEYS,
          ...(flags.previous === undefined ? {} : { previousFile: flags.previous }),
        }
      : {}),
  });
  if (flags.json) {
    console.log(JSON.stringify(run.decisions, null, 2));
    return;
  }
  const { journey } = context.candidate;
  process.stdout.write(
    renderTimelineRun(run, {
      journey: `${journey.id} v${journey.version}`,
      others: context.others,
      timeZone: timeline.profile?.timezone ?? context.ctx.policy.quietHours.defaultTimezone,
      ...(previous === undefined
        ? {}
        : { deployed: `${journey.id} v${journey.version} beside v${previous.journey.version}` }),
    }),
  );
}
