import { createRedisClient, createStore } from '@tactful/store-redis';
import type { Command } from 'commander';
import { auditReader, explainCustomer } from '@tactful/console';
import { readDeliveries } from '@tactful/dispatcher';
import { createKafkaClient } from '@tactful/kafka';
import { TactfulEnv } from '@tactful/observability';
import { commandConfig } from '../env';
import { renderExplanation } from './explain-render';

export function explainCommand(program: Command): void {
  program
    .command('explain')
    .argument('<customer>', "the customer id (the events' subject)")
    .description(
      "the customer's timeline: every decision (entered, sent, deferred, suppressed, halted, completed) with\n" +
        'its reason and the event that caused it, then where the customer is now, what waits, what was sent',
    )
    .option('--json', 'print the explanation as JSON')
    .option('-n, --limit <n>', 'the newest decisions to show', '200')
    .action(async (customerId: string, options: { json?: boolean; limit: string }) => {
      const config = commandConfig(TactfulEnv, process.env);
      const redis = createRedisClient(config.REDIS_URL);
      try {
        const store = createStore({ redis, namespace: config.TACTFUL_NAMESPACE });
        const kafka = createKafkaClient({ brokers: config.KAFKA_BROKERS, clientId: 'tactful-explain' });
        const readAudit = auditReader(kafka, config.TACTFUL_NAMESPACE);
        // the same data the ops console shows when it searches for a customer, and what the dispatcher
        // did with each command (its last-mile decisions are in the timeline already)
        const [explained, deliveries] = await Promise.all([
          explainCustomer(store, readAudit, customerId, Number(options.limit)),
          readDeliveries(store, customerId),
        ]);
        const explanation = { ...explained, known: explained.known || deliveries.length > 0, deliveries };
        if (options.json) console.log(JSON.stringify(explanation, null, 2));
        else process.stdout.write(renderExplanation(explanation));
        process.exitCode = explanation.known ? 0 : 1;
      } finally {
        redis.disconnect();
      }
    });
}
