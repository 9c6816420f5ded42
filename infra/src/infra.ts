import { canConnect, parseHostPort } from './net';
import { dockerEngineAnswers } from './docker';
import { ensureKafkaJars, kafkaLayout, kafkaStatus, startKafka, stopKafka } from './kafka';
import { infraDir } from './paths';
import { ensureRedisServer, redisLayout, redisStatus, startRedis, stopRedis } from './redis';

type Say = (line: string) => void;

export interface UpOptions {
  /** For `npm test`: leave the servers to testcontainers when a Docker engine answers. */
  forTests?: boolean;
}

async function checkExternal(kind: string, hostPorts: string[], say: Say): Promise<void> {
  for (const hp of hostPorts) {
    const { host, port } = parseHostPort(hp);
    if (await canConnect(host, port, 2000)) {
      say(`${kind}: using ${hp} (from the environment; nothing started)`);
      return;
    }
  }
  throw new Error(`${kind}: none of ${hostPorts.join(', ')} accepts connections (set in the environment)`);
}

function redisHostPorts(url: string): string[] {
  return url.split(',').map((u) => {
    const parsed = new URL(u.trim());
    return `${parsed.hostname}:${parsed.port || '6379'}`;
  });
}

/** Starts (or reuses) a local Kafka and Redis, unless the environment points elsewhere. */
export async function up(env: NodeJS.ProcessEnv, say: Say, options: UpOptions = {}): Promise<void> {
  const dir = infraDir(env);
  const external = { kafka: env.KAFKA_BROKERS, redis: env.REDIS_URL };
  if (options.forTests && !external.kafka && !external.redis && (await dockerEngineAnswers(env))) {
    say('a Docker engine answers: the tests start Kafka and Redis with testcontainers');
    return;
  }
  try {
    await Promise.all([
      external.kafka
        ? checkExternal('kafka', external.kafka.split(','), say)
        : startKafka(kafkaLayout(dir, env), say),
      external.redis
        ? checkExternal('redis', redisHostPorts(external.redis), say)
        : startRedis(redisLayout(dir, env), say),
    ]);
  } catch (err) {
    throw new Error(`${(err as Error).message}\n(logs and data of the local servers: ${dir})`, {
      cause: err,
    });
  }
}

/** Fetches what the local servers need, starting nothing (CI's install step). */
export function install(env: NodeJS.ProcessEnv, say: Say): void {
  const layout = kafkaLayout(infraDir(env), env);
  ensureKafkaJars(layout, say);
  say(`kafka: ${layout.version} jars in ${layout.libs}`);
  say(`redis: ${ensureRedisServer(say)}`);
}

export async function down(env: NodeJS.ProcessEnv, say: Say): Promise<void> {
  const dir = infraDir(env);
  await Promise.all([stopKafka(kafkaLayout(dir, env), say), stopRedis(redisLayout(dir, env), say)]);
}

export async function status(env: NodeJS.ProcessEnv) {
  const dir = infraDir(env);
  const kafka = kafkaLayout(dir, env);
  const redis = redisLayout(dir, env);
  return {
    dir,
    kafka: { address: `127.0.0.1:${kafka.port}`, ...(await kafkaStatus(kafka)), log: kafka.logFile },
    redis: { address: `127.0.0.1:${redis.port}`, ...(await redisStatus(redis)), log: redis.logFile },
  };
}
