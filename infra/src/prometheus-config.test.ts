import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from './paths';

interface ComposeService {
  build?: unknown;
  image?: string;
  environment?: Record<string, string | number>;
  volumes?: string[];
}

// Prometheus and Grafana cannot run on machines without Docker; this keeps their configuration in step
// with docker-compose.yml, so a service added or moved to another port is scraped.
describe('Prometheus and Grafana for docker-compose', () => {
  const read = (...parts: string[]) => fs.readFileSync(path.join(repoRoot, ...parts), 'utf8');
  const compose = parse(read('docker-compose.yml'), { merge: true }) as {
    services: Record<string, ComposeService>;
  };
  const prometheus = parse(read('infra', 'prometheus', 'prometheus.yml')) as {
    scrape_configs: { job_name: string; metrics_path?: string; static_configs: { targets: string[] }[] }[];
  };

  it('scrapes /metrics of every Tactful service of the compose file, on its TACTFUL_HTTP_PORT', () => {
    const expected = Object.entries(compose.services)
      .filter(([, s]) => s.build !== undefined)
      .map(([name, s]) => `${name}:${String(s.environment?.TACTFUL_HTTP_PORT)}`)
      .sort();
    const job = prometheus.scrape_configs.find((c) => c.job_name === 'tactful');
    expect(job?.metrics_path ?? '/metrics').toBe('/metrics');
    expect(job?.static_configs.flatMap((c) => c.targets).sort()).toEqual(expected);
  });

  it('runs Prometheus with this file and Grafana with the dashboard and its provisioning', () => {
    expect(compose.services.prometheus?.volumes).toContain(
      './infra/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro',
    );
    const grafana = compose.services.grafana?.volumes ?? [];
    expect(grafana).toContain('./infra/grafana/provisioning:/etc/grafana/provisioning:ro');
    expect(grafana).toContain(
      './infra/grafana/tactful-dashboard.json:/var/lib/grafana/dashboards/tactful-dashboard.json:ro',
    );
    const provider = parse(read('infra', 'grafana', 'provisioning', 'dashboards', 'tactful.yml')) as {
      providers: { options: { path: string } }[];
    };
    expect(provider.providers[0]?.options.path).toBe('/var/lib/grafana/dashboards');
    const datasource = parse(read('infra', 'grafana', 'provisioning', 'datasources', 'prometheus.yml')) as {
      datasources: { uid: string; url: string }[];
    };
    expect(datasource.datasources[0]).toMatchObject({ uid: 'prometheus', url: 'http://prometheus:9090' });
  });
});
