import type { Command } from 'commander';
import { parseIsoDuration } from '@tactful/events';
import type { LoadedJourney } from '@tactful/journeys';
import { TactfulEnv } from '@tactful/observability';
import { commandConfig } from '../env';
import { renderImpact } from '../journeys/impact-render';
import {
  readMigrationImpact,
  renderMigrationImpact,
  type MigrationImpact,
} from '../journeys/impact-migration';
import { runImpact } from '../journeys/impact-run';
import { createRedisClient } from '@tactful/store-redis';
import { historyReading } from '../journeys/history-reading';

interface ImpactFlags {
  since: string;
  json?: boolean;
  alone?: boolean;
}

/** `tactful journeys impact FILE`: a dry run of a journey file over the namespace's real history. */
export function impactCommand(journeys: Command): void {
  journeys
    .command('impact')
    .argument('<file>', 'the journey file to try (a new journey, or a new version of one)')
    .summary('a dry run on the namespace’s real history: who would enter, what would be sent or held')
    .description(
      'a dry run on real history: reads the events of N.events since --since (without joining any ' +
        'service’s consumer group or committing an offset), replays each person’s events in order ' +
        'through the engine with this journey beside the others of TACTFUL_JOURNEYS (every version of ' +
        'its id replaced by the file) and the contact policy, and reports how many people would enter, ' +
        'the sends per template, and the sends that would be deferred or suppressed and why. For a version ' +
        'with a migrate, it also reads the customer records in Redis (read-only) and counts who in flight ' +
        'on the older version would move, stage to stage, and who would stay. Nothing is sent, written or stored.',
    )
    .option('-s, --since <duration>', 'the period to replay, an ISO 8601 duration back from now', 'P30D')
    .option('--alone', 'replay the journey alone, without the other journeys (their sends share the budget)')
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  tactful journeys impact drafts/whitepaper-nurture-v4.yaml\n' +
        '  tactful journeys impact drafts/spring-sale.yaml --since P7D --json',
    )
    .action(async (file: string, flags: ImpactFlags) => {
      const period = parseIsoDuration(flags.since);
      if ('error' in period) journeys.error(`--since: ${period.error}`, { exitCode: 2 });
      const config = commandConfig(TactfulEnv, process.env);
      const { kafka, progress } = historyReading(config.KAFKA_BROKERS, 'tactful-impact', 'replaying');
      const started = Date.now();
      const result = await runImpact({
        kafka,
        namespace: config.TACTFUL_NAMESPACE,
        file,
        policyFile: config.TACTFUL_POLICY,
        ...(flags.alone ? {} : { journeysDir: config.TACTFUL_JOURNEYS }),
        since: started - ('ms' in period ? period.ms : 0),
        now: Date.now,
        onProgress: progress.update,
      }).finally(() => progress.stop());
      // a version that moves customers in flight: where they would go, from the stored records
      const migration = await migrationOf(result.context.candidate, config);
      const seconds = (Date.now() - started) / 1000;
      if (flags.json) {
        const { journey } = result.context.candidate;
        console.log(
          JSON.stringify(
            {
              journey: journey.id,
              version: journey.version,
              namespace: config.TACTFUL_NAMESPACE,
              since: new Date(started - ('ms' in period ? period.ms : 0)).toISOString(),
              until: new Date(result.until).toISOString(),
              beside: result.context.others,
              read: result.read,
              invalid: result.invalid,
              seconds,
              ...result.summary,
              ...(migration === undefined ? {} : { migration }),
            },
            null,
            2,
          ),
        );
        return;
      }
      process.stdout.write(
        renderImpact(result, { namespace: config.TACTFUL_NAMESPACE, since: flags.since, seconds }),
      );
      if (migration !== undefined) process.stdout.write(`${renderMigrationImpact(migration).join('\n')}\n`);
    });
}

async function migrationOf(
  candidate: LoadedJourney,
  config: { REDIS_URL: string; TACTFUL_NAMESPACE: string; TACTFUL_JOURNEYS: string },
): Promise<MigrationImpact | undefined> {
  if (candidate.journey.migrate === undefined) return undefined;
  const redis = createRedisClient(config.REDIS_URL);
  try {
    return await readMigrationImpact({
      redis,
      namespace: config.TACTFUL_NAMESPACE,
      candidate,
      journeysDir: config.TACTFUL_JOURNEYS,
    });
  } finally {
    redis.disconnect();
  }
}
