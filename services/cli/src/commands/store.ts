import { createRedisClient, migrateNamespace, type MigrateSummary } from '@tactful/store-redis';
import type { Command } from 'commander';
import { TactfulEnv } from '@tactful/observability';
import { commandConfig } from '../env';

/** Pure. The summary of a migration, for people. */
export function renderMigration(summary: MigrateSummary): string {
  if (summary.from === null) return `namespace ${summary.namespace} holds nothing: nothing to migrate\n`;
  if (summary.from === summary.to && summary.customers === 0)
    return `namespace ${summary.namespace} is already in layout ${summary.to}: nothing to migrate\n`;
  return (
    `namespace ${summary.namespace}: layout ${summary.from} → ${summary.to}, ${summary.customers} customer(s) moved, ` +
    `${summary.timers} timer(s), ${summary.outboxMessages} unrelayed message(s) kept for the orchestrator to relay, ` +
    `${summary.leftoverKeys} leftover key(s) removed\n`
  );
}

export function storeCommand(program: Command): void {
  const store = program.command('store').description("manage the namespace's data in Redis");
  store
    .command('migrate')
    .description(
      'move the namespace to the current key layout (stop its services first); safe to run again, also after\n' +
        'a crash: customers already moved are skipped',
    )
    .option('--json', 'print the summary as JSON')
    .action(async (options: { json?: boolean }) => {
      const config = commandConfig(TactfulEnv, process.env);
      const redis = createRedisClient(config.REDIS_URL);
      const started = Date.now();
      let lastLine = started;
      const tty = process.stderr.isTTY;
      try {
        const summary = await migrateNamespace({
          redis,
          namespace: config.TACTFUL_NAMESPACE,
          onProgress: ({ customers }) => {
            const now = Date.now();
            // in place on a terminal; a line every 5 s in a log, so a long run is never silent
            if (!tty && now - lastLine < 5000) return;
            if (tty && now - lastLine < 100) return;
            lastLine = now;
            const rate = Math.round(customers / Math.max((now - started) / 1000, 0.001));
            process.stderr.write(
              `${tty ? '\r' : ''}migrated ${customers} customers (${rate}/s)${tty ? '' : '\n'}`,
            );
          },
        });
        if (tty && summary.customers > 0) process.stderr.write('\n');
        process.stdout.write(
          options.json ? `${JSON.stringify(summary, null, 2)}\n` : renderMigration(summary),
        );
      } finally {
        redis.disconnect();
      }
    });
}
