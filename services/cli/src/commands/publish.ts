import fs from 'node:fs';
import type { Command } from 'commander';
import { prepareBatch, topicsFor, type TactfulEvent } from '@tactful/events';
import { createPublisher, InvalidEventsError, type PublishResult } from '@tactful/events/publisher';
import { createKafkaClient, type Admin } from '@tactful/kafka';
import { TactfulEnv } from '@tactful/observability';
import { commandConfig } from '../env';
import { createProgress } from '../publish/progress';
import { publishRecords, type InputRejection, type PublishOutcome } from '../publish/publish-records';
import { readEvents, type InputFormat } from '../publish/read-events';

interface PublishOptions {
  batchSize: string;
  json?: boolean;
  dryRun?: boolean;
}

// How many refused events the text summary lists; `--json` lists them all.
const LISTED_REJECTIONS = 50;
const PROGRESS_INTERVAL_MS = 5000;

/** `tactful publish FILE`: events from a JSON array or NDJSON file (or stdin) to `N.events`. */
export function publishCommand(program: Command): void {
  program
    .command('publish')
    .argument('<file>', 'a JSON array of events, or NDJSON (one event per line); - reads stdin')
    .description(
      'validate and publish CloudEvents to N.events through the publisher SDK; exit 1 if any event is refused',
    )
    .option('-b, --batch-size <n>', 'events per produce call', '5000')
    .option('--json', 'print the summary as JSON (every refused event, with its line or index)')
    .option('--dry-run', 'validate only; send nothing')
    .action(async (file: string, options: PublishOptions, command: Command) => {
      const batchSize = Number(options.batchSize);
      if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
        // the command's own help after the message, as for commander's own usage errors
        command.error(`error: --batch-size must be a positive integer, not ${options.batchSize}`, {
          exitCode: 2,
        });
      }
      const config = commandConfig(TactfulEnv, process.env);
      const input = file === '-' ? process.stdin : fs.createReadStream(file, { highWaterMark: 256 * 1024 });
      const totalBytes = file === '-' ? undefined : (await fs.promises.stat(file)).size;
      let format: InputFormat | undefined;
      const records = readEvents(input as AsyncIterable<Buffer>, (f) => {
        format = f;
      });
      const progress = createProgress({
        stream: process.stderr,
        ...(totalBytes === undefined ? {} : { totalBytes }),
        intervalMs: PROGRESS_INTERVAL_MS,
        now: Date.now,
      });
      const started = Date.now();

      let outcome: PublishOutcome;
      if (options.dryRun) {
        outcome = await publishRecords(records, {
          batchSize,
          publish: validateOnly,
          onProgress: progress.update,
        });
      } else {
        outcome = await publishToKafka(config.KAFKA_BROKERS, config.TACTFUL_NAMESPACE, records, {
          batchSize,
          progress,
        });
      }
      progress.stop();

      const durationMs = Date.now() - started;
      const { counts, rejected } = outcome;
      const eventsPerSecond = Math.round(counts.sent / Math.max(durationMs / 1000, 0.001));
      if (options.json) {
        const summary = {
          ok: rejected.length === 0,
          dryRun: options.dryRun === true,
          format: format ?? null,
          read: counts.read,
          sent: counts.sent,
          rejected,
          durationMs,
          eventsPerSecond,
        };
        console.log(JSON.stringify(summary, null, 2));
      } else {
        printSummary({ ...counts, durationMs, eventsPerSecond, dryRun: options.dryRun === true }, rejected);
      }
      process.exitCode = rejected.length === 0 ? 0 : 1;
    });
}

/** Publishes the records through the publisher SDK, once the namespace's events topic is there. */
async function publishToKafka(
  brokers: string[],
  namespace: string,
  records: ReturnType<typeof readEvents>,
  { batchSize, progress }: { batchSize: number; progress: ReturnType<typeof createProgress> },
): Promise<PublishOutcome> {
  const kafka = createKafkaClient({
    brokers,
    clientId: 'tactful-publish',
    retry: { retries: 5, initialRetryTime: 300, maxRetryTime: 3000 },
  });
  await checkTopic(kafka.admin(), topicsFor(namespace).events);
  const publisher = createPublisher({ kafka, namespace });
  try {
    await publisher.connect();
    return await publishRecords(records, {
      batchSize,
      publish: publisher.publish,
      onProgress: progress.update,
    });
  } catch (err) {
    progress.stop();
    const sent = (err as { sentBefore?: number }).sentBefore;
    if (sent !== undefined) console.error(`${sent} events were sent before the failure`);
    throw err;
  } finally {
    await publisher.close();
  }
}

async function checkTopic(admin: Admin, topic: string): Promise<void> {
  await admin.connect();
  try {
    const topics = await admin.listTopics();
    if (!topics.includes(topic)) {
      throw new Error(
        `${topic} does not exist; create the namespace's topics with \`tactful topics create\``,
      );
    }
  } finally {
    await admin.disconnect();
  }
}

// --dry-run: the publisher's own validation, without a broker.
async function validateOnly(events: readonly TactfulEvent[]): Promise<PublishResult> {
  const { prepared, rejected } = prepareBatch(events);
  if (rejected.length > 0) throw new InvalidEventsError(rejected, events.length);
  return { ids: prepared.map((p) => p.event.id) };
}

function printSummary(
  s: { read: number; sent: number; durationMs: number; eventsPerSecond: number; dryRun: boolean },
  rejected: readonly InputRejection[],
): void {
  const verb = s.dryRun ? 'valid (dry run, nothing sent)' : 'sent';
  console.log(
    `${s.sent} of ${s.read} events ${verb}, ${rejected.length} rejected, in ${(s.durationMs / 1000).toFixed(1)} s` +
      (s.dryRun ? '' : ` (${s.eventsPerSecond} events/s)`),
  );
  for (const r of rejected.slice(0, LISTED_REJECTIONS)) {
    const where = r.line === undefined ? `index ${r.index}` : `line ${r.line}`;
    const id = r.id === undefined ? '' : ` (${r.id})`;
    // a schema violation's message already starts with the path
    console.log(`  ${where}${id}: ${r.reason}: ${r.message}`);
  }
  if (rejected.length > LISTED_REJECTIONS) {
    console.log(`  … and ${rejected.length - LISTED_REJECTIONS} more (--json lists them all)`);
  }
}
