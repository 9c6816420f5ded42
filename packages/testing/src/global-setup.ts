import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { assertReachable, hostPortAnswers, redisHostPort, type TestServers } from './servers';

declare module 'vitest' {
  export interface ProvidedContext {
    servers: TestServers;
  }
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function localKafkaVersion(): string {
  const state = path.join(
    process.env.TACTFUL_INFRA_DIR ?? path.join(repoRoot, '.tactful'),
    'kafka',
    'state.json',
  );
  if (!fs.existsSync(state)) return 'unknown (a broker not started by the project)';
  return `Apache Kafka ${(JSON.parse(fs.readFileSync(state, 'utf8')) as { version: string }).version}`;
}

async function dockerEngineAnswers(): Promise<boolean> {
  // imported lazily: testcontainers is only loaded on machines that can use it
  const { getContainerRuntimeClient } = await import('testcontainers');
  // any failure to reach a container runtime means "no engine": this is a probe, not an error
  return getContainerRuntimeClient().then(
    () => true,
    () => false,
  );
}

/**
 * Hands the integration tests a real Kafka and Redis: from KAFKA_BROKERS / REDIS_URL when set, else from
 * testcontainers when a Docker engine answers, else from the local servers `npm run infra:up` starts. When
 * none answers, every integration test fails with that command; nothing is skipped.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stops: (() => Promise<unknown>)[] = [];
  let servers: TestServers;
  const local = { kafkaBrokers: ['127.0.0.1:9092'], redisUrl: 'redis://127.0.0.1:6379' };
  if (process.env.KAFKA_BROKERS || process.env.REDIS_URL) {
    servers = {
      kafkaBrokers: (process.env.KAFKA_BROKERS ?? local.kafkaBrokers[0]!).split(',').map((s) => s.trim()),
      redisUrl: process.env.REDIS_URL ?? local.redisUrl,
      origin: 'environment',
      kafkaVersion: 'unknown (from KAFKA_BROKERS)',
    };
  } else if (
    ((await hostPortAnswers(local.kafkaBrokers[0]!)) &&
      (await hostPortAnswers(redisHostPort(local.redisUrl)))) ||
    !(await dockerEngineAnswers())
  ) {
    // the local servers of `npm run infra:up`; when they are down too, assertReachable names that command
    servers = { ...local, origin: 'local-infra', kafkaVersion: localKafkaVersion() };
  } else {
    const { KafkaContainer } = await import('@testcontainers/kafka');
    const { RedisContainer } = await import('@testcontainers/redis');
    const image = 'confluentinc/cp-kafka:7.9.0';
    const [kafka, redis] = await Promise.all([
      new KafkaContainer(image).withKraft().start(),
      new RedisContainer('redis:7').start(),
    ]);
    stops.push(
      () => kafka.stop(),
      () => redis.stop(),
    );
    servers = {
      kafkaBrokers: [`${kafka.getHost()}:${kafka.getMappedPort(9093)}`],
      redisUrl: redis.getConnectionUrl(),
      origin: 'testcontainers',
      kafkaVersion: `${image} (Apache Kafka 3.9)`,
    };
  }
  await assertReachable(servers);
  console.log(
    `integration servers (${servers.origin}): Kafka ${servers.kafkaBrokers.join(',')} [${servers.kafkaVersion}], Redis ${servers.redisUrl}`,
  );
  project.provide('servers', servers);
  return async () => {
    await Promise.all(stops.map((stop) => stop()));
  };
}
