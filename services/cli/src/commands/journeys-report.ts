import type { Command } from 'commander';
import { readJourneyReport } from '@tactful/console';
import { JourneyId, loadJourneys, type Journey } from '@tactful/journeys';
import { TactfulEnv } from '@tactful/observability';
import { commandConfig } from '../env';
import { historyReading } from '../journeys/history-reading';
import { renderReport } from '../journeys/report-render';

/** `tactful journeys report ID`: a journey's results, counted from N.audit and N.events. */
export function reportCommand(journeys: Command): void {
  journeys
    .command('report')
    .argument('<id>', 'the journey id')
    .summary(
      'entered, sent, opened, clicked, replied, converted: per branch, for the holdout, and the uplift',
    )
    .description(
      'a journey’s results, counted from the namespace’s history alone: reads all of N.audit and then ' +
        'N.events (in a consumer group of its own that commits nothing and is deleted), and counts per ' +
        'group (everyone, those sent to, the holdout, each branch of its splits) the entries, emails ' +
        'delivered per template, the entries that opened, clicked and replied, and the conversions (its ' +
        'goal, or a purchase of its products), with the conversion rate and, against the holdout, the ' +
        'uplift, each with a 95 % interval (Wilson; Newcombe for the difference). Nothing is written.',
    )
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  tactful journeys report newsletter\n  tactful journeys report newsletter --json',
    )
    .action(async (id: string, flags: { json?: boolean }) => {
      if (!JourneyId.safeParse(id).success) journeys.error(`not a journey id: ${id}`, { exitCode: 2 });
      const config = commandConfig(TactfulEnv, process.env);
      const { kafka, progress } = historyReading(config.KAFKA_BROKERS, 'tactful-report', 'reading');
      const started = Date.now();
      const { report, read } = await readJourneyReport({
        kafka,
        namespace: config.TACTFUL_NAMESPACE,
        journey: id,
        onProgress: (_topic, done, total) => progress.update(done, total),
      }).finally(() => progress.stop());
      const seconds = (Date.now() - started) / 1000;
      if (flags.json) {
        console.log(
          JSON.stringify({ namespace: config.TACTFUL_NAMESPACE, read, seconds, ...report }, null, 2),
        );
        return;
      }
      const journey = await journeyFile(config.TACTFUL_JOURNEYS, id);
      process.stdout.write(
        renderReport(report, {
          namespace: config.TACTFUL_NAMESPACE,
          read,
          seconds,
          ...(journey === undefined ? {} : { journey }),
        }),
      );
    });
}

/** The journey's highest version in TACTFUL_JOURNEYS, to print its goal and holdout; absent if none. */
async function journeyFile(dir: string, id: string): Promise<Journey | undefined> {
  const loaded = await loadJourneys(dir).catch((err: unknown) => {
    // the report stands without the file: only its goal and holdout line is left out
    if (err instanceof Error && 'code' in err && err.code === 'ENOENT') return undefined;
    throw err;
  });
  return loaded?.journeys
    .filter((j) => j.journey.id === id)
    .sort((a, b) => b.journey.version - a.journey.version)[0]?.journey;
}
