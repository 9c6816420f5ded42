import type { Command } from 'commander';
import { TactfulEnv } from '@tactful/observability';
import { commandConfig } from '../env';
import { renderStatus } from '../journeys/status-render';
import { runStatus, strandedOf } from '../journeys/status-run';
import { createRedisClient } from '@tactful/store-redis';

const PROGRESS_INTERVAL_MS = 5000;

/** `tactful journeys status`: every version with customers in flight, and those whose file is gone. */
export function statusCommand(journeys: Command): void {
  journeys
    .command('status')
    .summary('every journey version with customers in flight, and those whose file is gone')
    .description(
      'reads every customer record of the namespace in Redis (read-only: SCAN page by page, one pipelined ' +
        'read per page) and counts the customers in each stage of each journey version; a version with ' +
        'customers and no file in TACTFUL_JOURNEYS is orphaned (its customers are not stepped) unless a ' +
        'newer version moves them (migrate). Exit 1 when some customers are stranded: orphaned and taken ' +
        'by no migrate.',
    )
    .option('--count <n>', 'keys each SCAN call looks at', '1000')
    .option('--json', 'print the report as JSON')
    .action(async (flags: { json?: boolean; count: string }) => {
      const count = Number(flags.count);
      if (!Number.isSafeInteger(count) || count < 1)
        journeys.error(`--count must be a positive whole number, not ${flags.count}`, { exitCode: 2 });
      const config = commandConfig(TactfulEnv, process.env);
      const redis = createRedisClient(config.REDIS_URL);
      const started = Date.now();
      const tty = process.stderr.isTTY;
      let last = started;
      try {
        const report = await runStatus({
          redis,
          namespace: config.TACTFUL_NAMESPACE,
          journeysDir: config.TACTFUL_JOURNEYS,
          count,
          onProgress: (records) => {
            const now = Date.now();
            // in place on a terminal; a line every 5 s in a log, so a long scan is never silent
            if (now - last < (tty ? 100 : PROGRESS_INTERVAL_MS)) return;
            last = now;
            const rate = Math.round(records / Math.max((now - started) / 1000, 0.001));
            process.stderr.write(
              `${tty ? '\r' : ''}read ${records} customer records (${rate}/s)${tty ? '' : '\n'}`,
            );
          },
        });
        if (tty && last !== started) process.stderr.write('\n');
        const seconds = (Date.now() - started) / 1000;
        process.stdout.write(
          flags.json ? `${JSON.stringify({ ...report, seconds }, null, 2)}\n` : renderStatus(report, seconds),
        );
        process.exitCode = strandedOf(report) > 0 ? 1 : 0;
      } finally {
        redis.disconnect();
      }
    });
}
