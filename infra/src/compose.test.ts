import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig, TactfulEnv } from '@tactful/observability';
import { repoRoot } from './paths';

interface ComposeService {
  build?: unknown;
  command?: string[];
  image?: string;
  environment?: Record<string, string | number>;
}

// docker-compose.yml cannot run on machines without Docker; this keeps it consistent with what the
// services read, so a renamed or misspelt variable is caught here rather than by a user.
describe('docker-compose.yml', () => {
  const compose = parse(fs.readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8'), {
    merge: true,
  }) as {
    services: Record<string, ComposeService>;
  };
  const tactful = Object.entries(compose.services).filter(([, s]) => s.build !== undefined);
  const known = new Set(Object.keys(TactfulEnv.shape));

  it('runs Kafka, Redis and the Tactful services', () => {
    expect(compose.services.kafka?.image).toMatch(/^apache\/kafka:3\.9/);
    expect(compose.services.redis?.image).toMatch(/^redis:/);
    expect(tactful.length).toBeGreaterThan(0);
  });

  it.each(tactful.map(([name, service]) => [name, service] as const))(
    'service %s sets only variables the services read, with valid values',
    (_name, service) => {
      const env = Object.fromEntries(
        Object.entries(service.environment ?? {}).map(([k, v]) => [k, String(v)]),
      );
      expect(Object.keys(env).filter((k) => !known.has(k))).toEqual([]);
      expect(() => loadConfig(TactfulEnv, env)).not.toThrow();
    },
  );

  it('points the services at the compose Kafka and Redis', () => {
    for (const [, service] of tactful) {
      expect(service.environment?.KAFKA_BROKERS).toBe('kafka:9092');
      expect(service.environment?.REDIS_URL).toBe('redis://redis:6379');
    }
  });

  it('sets a console token on every service (else its HTTP server is on loopback only, out of Prometheus’s reach), and a link secret where the dispatcher runs', () => {
    for (const [name, service] of tactful) {
      expect(service.environment?.TACTFUL_CONSOLE_TOKEN, name).toBeDefined();
      if (service.command?.join(' ').includes('dispatcher'))
        expect(service.environment?.TACTFUL_LINK_SECRET, name).toBeDefined();
    }
  });
});
