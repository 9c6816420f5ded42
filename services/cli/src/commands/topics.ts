import type { Command } from 'commander';
import { createKafkaClient, ensureNamespaceTopics } from '@tactful/kafka';
import { TactfulEnv } from '@tactful/observability';
import { commandConfig } from '../env';

export function topicsCommand(program: Command): void {
  const topics = program.command('topics').description('manage the Kafka topics of the namespace');
  topics
    .command('create')
    .description(
      'create N.events, N.commands, N.dlq and N.audit when missing (existing ones are left as they are)',
    )
    .option('-p, --partitions <n>', 'partitions per topic (default: TACTFUL_TOPIC_PARTITIONS, else 6)')
    .option('--json', 'print the result as JSON')
    .action(async (options: { partitions?: string; json?: boolean }) => {
      const config = commandConfig(TactfulEnv, {
        ...process.env,
        ...(options.partitions ? { TACTFUL_TOPIC_PARTITIONS: options.partitions } : {}),
      });
      const kafka = createKafkaClient({
        brokers: config.KAFKA_BROKERS,
        clientId: 'tactful-cli',
        retry: { retries: 3, initialRetryTime: 300, maxRetryTime: 2000 },
      });
      const result = await ensureNamespaceTopics(
        kafka,
        config.TACTFUL_NAMESPACE,
        config.TACTFUL_TOPIC_PARTITIONS,
      );
      if (options.json) console.log(JSON.stringify(result, null, 2));
      else
        for (const t of result)
          console.log(`${t.created ? 'created ' : 'exists  '} ${t.topic} (${t.partitions} partitions)`);
    });
}
