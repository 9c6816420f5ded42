// Test support: `tactful run --only orchestrator,scheduler` as a child process that SIGKILLs itself at a
// chosen point of the orchestrator's protocol, so a test can show what a crash exactly there does.
//   node --conditions=tactful-source --import tsx crash-at.ts <stage> <nth> <sub-batch size>  (`sourceArgv`)
// The environment is the services' own (KAFKA_BROKERS, REDIS_URL, TACTFUL_NAMESPACE, ...).
import pino from 'pino';
import type { SubBatchStage } from '@tactful/orchestrator';
import { startStack } from '../stack';

const [stage, nth, size] = process.argv.slice(2) as [SubBatchStage, string, string];
let seen = 0;
await startStack({
  env: process.env,
  services: ['orchestrator', 'scheduler'],
  logger: pino({ level: process.env.LOG_LEVEL ?? 'info' }),
  overrides: {
    host: '127.0.0.1',
    subBatchSize: Number(size),
    orchestratorAt: (at) => {
      if (at !== stage || ++seen < Number(nth)) return;
      console.log(`crashing at ${stage} of sub-batch ${seen}`);
      process.kill(process.pid, 'SIGKILL');
    },
  },
});
console.log('tactful running');
