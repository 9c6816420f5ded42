import { parseArgs } from 'node:util';
import { down, install, status, up } from './infra';

const usage = `usage: npm run infra:up | infra:down | infra:status [-- --json]

  install            fetch the Kafka jars (Maven) and redis-server (apt) without starting anything
  up [--for-tests]   start (or reuse) Kafka on 127.0.0.1:9092 and Redis on 127.0.0.1:6379
                     KAFKA_BROKERS / REDIS_URL set: use those, start nothing
                     --for-tests: leave it to testcontainers when a Docker engine answers
  down               stop the servers started here (SIGTERM, then wait)
  status [--json]    what answers, and which processes are ours

  TACTFUL_KAFKA_VERSION (default 3.9.1), TACTFUL_INFRA_DIR (default .tactful/)`;

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      'for-tests': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const say = (line: string): void => console.error(`infra: ${line}`);
  const command = positionals[0];
  if (values.help || command === undefined) {
    console.log(usage);
    return command === undefined && !values.help ? 2 : 0;
  }
  switch (command) {
    case 'install':
      install(process.env, say);
      return 0;
    case 'up':
      await up(process.env, say, { forTests: values['for-tests'] ?? false });
      return 0;
    case 'down':
      await down(process.env, say);
      return 0;
    case 'status': {
      const s = await status(process.env);
      if (values.json) console.log(JSON.stringify(s, null, 2));
      else
        for (const [name, v] of [
          ['kafka', s.kafka],
          ['redis', s.redis],
        ] as const)
          console.log(
            `${name.padEnd(6)} ${v.address.padEnd(16)} ${v.listening ? 'listening' : 'down'}` +
              `${v.ours ? ` (ours, pid ${v.pid})` : v.listening ? ' (not started by us)' : ''}  log ${v.log}`,
          );
      return s.kafka.listening && s.redis.listening ? 0 : 1;
    }
    default:
      console.error(`unknown command ${command}\n${usage}`);
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`infra: ${(err as Error).message}`);
    process.exit(1);
  },
);
