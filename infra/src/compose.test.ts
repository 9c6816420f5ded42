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
  volumes?: string[];
  healthcheck?: unknown;
}

const read = (file: string): string => fs.readFileSync(path.join(repoRoot, file), 'utf8');

/** What compose does with `${NAME:-default}` when NAME is not set: the default. */
function interpolate(value: string): string {
  return value.replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, '$1');
}

/** Pinned: a version tag with a digit in it, or a digest; never `latest` or a bare major version. */
function pinned(image: string): boolean {
  if (image.includes('@sha256:')) return true;
  const tag = image.split('/').pop()?.split(':')[1] ?? '';
  return tag !== 'latest' && /^v?\d+\.\d+(\.\d+)?/.test(tag);
}

// docker-compose.yml cannot run on machines without Docker; this keeps it consistent with what the
// services read, so a renamed or misspelt variable is caught here rather than by a user.
describe('docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml'), { merge: true }) as {
    services: Record<string, ComposeService>;
  };
  const tactful = Object.entries(compose.services).filter(([, s]) => s.build !== undefined);
  const known = new Set(Object.keys(TactfulEnv.shape));
  const envOf = (service: ComposeService): Record<string, string> =>
    Object.fromEntries(
      Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(String(v))]),
    );

  it('runs Kafka in KRaft mode, Redis with an append-only file, a mail catcher and the Tactful services', () => {
    const kafka = compose.services.kafka;
    expect(kafka?.image).toMatch(/^apache\/kafka:3\.9/);
    expect(String(kafka?.environment?.KAFKA_PROCESS_ROLES)).toBe('broker,controller');
    expect(Object.keys(compose.services).some((name) => name.includes('zookeeper'))).toBe(false);
    expect(compose.services.redis?.image).toMatch(/^redis:/);
    expect(compose.services.redis?.command?.join(' ')).toContain('--appendonly yes');
    expect(compose.services.mailpit?.image).toMatch(/^axllent\/mailpit:/);
    expect(tactful.length).toBeGreaterThan(0);
  });

  it.each(Object.entries(compose.services).filter(([, s]) => s.image !== undefined))(
    'service %s runs a pinned image',
    (_name, service) => {
      expect(pinned(service.image!), service.image).toBe(true);
    },
  );

  it.each(tactful.map(([name, service]) => [name, service] as const))(
    'service %s sets only variables the services read, with valid values',
    (_name, service) => {
      const env = envOf(service);
      expect(Object.keys(env).filter((k) => !known.has(k))).toEqual([]);
      expect(() => loadConfig(TactfulEnv, env)).not.toThrow();
    },
  );

  it.each(tactful.map(([name, service]) => [name, service] as const))(
    'service %s has a link secret of 32 bytes or more and a console token (so it listens beyond loopback)',
    (_name, service) => {
      const env = envOf(service);
      expect(Buffer.byteLength(env.TACTFUL_LINK_SECRET ?? '')).toBeGreaterThanOrEqual(32);
      expect(env.TACTFUL_CONSOLE_TOKEN ?? '').not.toBe('');
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

  it('loads the alert rules into Prometheus', () => {
    expect(compose.services.prometheus?.volumes).toContain(
      './infra/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro',
    );
    const prometheus = parse(read('infra/prometheus/prometheus.yml')) as { rule_files?: string[] };
    expect(prometheus.rule_files).toContain('/etc/prometheus/alerts.yml');
  });
});

describe('Dockerfile', () => {
  const lines = read('Dockerfile')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const instructions = lines.map((line) => {
    const [keyword = '', ...rest] = line.split(/\s+/);
    return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
  });
  const stages = instructions.filter((i) => i.keyword === 'FROM');
  const last = instructions.slice(instructions.lastIndexOf(stages[stages.length - 1]!));
  const arg = (name: string): string | undefined =>
    instructions.find((i) => i.keyword === 'ARG' && i.args.startsWith(`${name}=`))?.args.split('=')[1];
  const base = (from: string): string =>
    from.split(/\s+/)[0]!.replace(/^\$\{(\w+)\}$/, (_, n: string) => arg(n) ?? '');

  it('builds in stages from a pinned base image', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) {
      const image = base(stage.args);
      if (image === '') throw new Error(`unresolved base image in FROM ${stage.args}`);
      const earlierStage = stages.some((s) => s.args.toLowerCase().endsWith(` as ${image.toLowerCase()}`));
      expect(earlierStage || pinned(image), image).toBe(true);
    }
  });

  it('runs the compiled code with node as a non-root user, by number', () => {
    const user = last.filter((i) => i.keyword === 'USER').pop()?.args ?? '';
    expect(user).toMatch(/^\d+(:\d+)?$/);
    expect(Number(user.split(':')[0])).toBeGreaterThan(0);
    const entrypoint = JSON.parse(last.find((i) => i.keyword === 'ENTRYPOINT')?.args ?? '[]') as string[];
    expect(entrypoint[0]).toBe('node');
    expect(entrypoint.join(' ')).not.toMatch(/tsx|npx/);
    expect(entrypoint).toContain('services/cli/bin/tactful.mjs');
    expect(instructions.some((i) => /npm run build/.test(i.args))).toBe(true);
    expect(last.some((i) => i.keyword === 'COPY' && i.args.includes('--from='))).toBe(true);
  });

  it('checks its health on /healthz of TACTFUL_HTTP_PORT', () => {
    const check = last.find((i) => i.keyword === 'HEALTHCHECK')?.args ?? '';
    expect(check).toContain('/healthz');
    expect(check).toContain('TACTFUL_HTTP_PORT');
  });
});
