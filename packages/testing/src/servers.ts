import { canConnect, parseHostPort } from '@tactful/infra';

export interface TestServers {
  kafkaBrokers: string[];
  redisUrl: string;
  /** Where the servers came from, printed once per run so a reader knows what the tests ran against. */
  origin: 'environment' | 'testcontainers' | 'local-infra';
  kafkaVersion: string;
}

export const START_COMMAND = 'npm run infra:up';

export class MissingServerError extends Error {
  constructor(what: string, detail: string) {
    super(
      `${what} is not reachable for the integration tests (${detail}).\n` +
        `Start the local servers with \`${START_COMMAND}\` (or run \`npm test\`, which starts them), ` +
        'or set KAFKA_BROKERS and REDIS_URL to servers you run.',
    );
    this.name = 'MissingServerError';
  }
}

/** Whether `host:port`, as the broker lists and KAFKA_BROKERS write it, accepts a TCP connection. */
export function hostPortAnswers(hostPort: string, timeoutMs = 1500): Promise<boolean> {
  const { host, port } = parseHostPort(hostPort);
  return canConnect(host, port, timeoutMs);
}

export function redisHostPort(url: string): string {
  const parsed = new URL(url.split(',')[0]!.trim());
  return `${parsed.hostname}:${parsed.port || '6379'}`;
}

/** Fails with the command that starts the servers when one of them does not answer. */
export async function assertReachable(
  servers: Pick<TestServers, 'kafkaBrokers' | 'redisUrl'>,
): Promise<void> {
  const kafkaUp = await Promise.all(servers.kafkaBrokers.map((b) => hostPortAnswers(b)));
  if (!kafkaUp.some(Boolean))
    throw new MissingServerError('Kafka', `nothing answers at ${servers.kafkaBrokers.join(',')}`);
  const redis = redisHostPort(servers.redisUrl);
  if (!(await hostPortAnswers(redis))) throw new MissingServerError('Redis', `nothing answers at ${redis}`);
}
