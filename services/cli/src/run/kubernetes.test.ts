import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadConfig, TactfulEnv } from '@tactful/observability';
import { repoRoot } from '@tactful/infra';
import { SHUTDOWN_DEADLINE_MS } from '../commands/run';
import { parseOnly } from './services';

// The Kubernetes manifests of infra/k8s, checked offline: every object against the Kubernetes API's own
// schemas (the models of `kubernetes-models`, generated from the API's OpenAPI document, with their
// validators), then what the schemas cannot know about Tactful: probes on /healthz and /readyz of the
// port the services serve, a grace period longer than the drain, disruption budgets, and an environment
// the services accept.

const DIR = path.join(repoRoot, 'infra', 'k8s');

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  [key: string]: unknown;
}
interface Probe {
  httpGet?: { path: string; port: string | number };
}
interface Container {
  image: string;
  args?: string[];
  ports?: { name?: string; containerPort: number }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  env?: { name: string; value: string }[];
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean };
}
interface Deployment extends K8sObject {
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string> };
      spec: {
        terminationGracePeriodSeconds?: number;
        securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
        containers: Container[];
      };
    };
  };
}

/** The model class of an object's apiVersion and kind, whose `validate()` applies the API's schema. */
async function modelOf(object: { apiVersion: string; kind: string }) {
  const [group, version] = object.apiVersion.includes('/')
    ? object.apiVersion.split('/')
    : [undefined, object.apiVersion];
  const module = (await import(
    `kubernetes-models/${group === undefined ? '' : `${group}/`}${version}/${object.kind}`
  )) as Record<string, new (data: unknown) => { validate(): void }>;
  const Model = module[object.kind];
  if (Model === undefined) throw new Error(`no model for ${object.apiVersion} ${object.kind}`);
  return Model;
}

async function validate(object: K8sObject): Promise<void> {
  const Model = await modelOf(object);
  new Model(object).validate();
}

const kustomization = fs.readFileSync(path.join(DIR, 'kustomization.yaml'), 'utf8');
const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
const objects: (K8sObject & { file: string })[] = files.flatMap((file) =>
  parseAllDocuments(fs.readFileSync(path.join(DIR, file), 'utf8')).map((doc) => ({
    ...(doc.toJSON() as K8sObject),
    file,
  })),
);
const byKind = <T extends K8sObject>(kind: string) =>
  objects.filter((o) => o.kind === kind) as unknown as T[];
const deployments = byKind<Deployment>('Deployment');
const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

describe('Kubernetes manifests', () => {
  it('lists every file in the kustomization', () => {
    for (const file of files) expect(kustomization).toContain(`- ${file}`);
  });

  it.each(objects.map((o) => [`${o.file}: ${o.kind} ${o.metadata.name}`, o] as const))(
    '%s is valid against the Kubernetes API schema',
    async (_name, object) => {
      const { file: _file, ...manifest } = object;
      await expect(validate(manifest)).resolves.toBeUndefined();
    },
  );

  it('the validator rejects a broken manifest', async () => {
    const engine = structuredClone(deployments[0]!) as Deployment & { file?: string };
    delete engine.file;
    const wrongType = { ...engine, spec: { ...engine.spec, replicas: 'two' } };
    await expect(validate(wrongType as unknown as K8sObject)).rejects.toThrow(/replicas must be integer/);
    const probeWithoutPort = structuredClone(engine);
    probeWithoutPort.spec.template.spec.containers[0]!.livenessProbe = {
      httpGet: { path: '/healthz' } as never,
    };
    await expect(validate(probeWithoutPort)).rejects.toThrow(
      /livenessProbe\/httpGet must have required property port/,
    );
    const noContainers = structuredClone(engine) as unknown as { spec: { template: { spec: object } } };
    noContainers.spec.template.spec = {};
    await expect(validate(noContainers as unknown as K8sObject)).rejects.toThrow(/containers/);
  });

  it('runs every Tactful service, each in one Deployment', () => {
    const services = deployments.flatMap((d) => {
      const args = d.spec.template.spec.containers[0]!.args ?? [];
      const only = parseOnly(args[args.indexOf('--only') + 1]);
      expect(args[0]).toBe('run');
      expect(only.problems).toEqual([]);
      return only.services;
    });
    expect([...services].sort()).toEqual(parseOnly(undefined).services.sort());
  });

  it.each(deployments.map((d) => [d.metadata.name, d] as const))(
    '%s: probes, resources, non-root, a grace period longer than the drain',
    (_name, deployment) => {
      const pod = deployment.spec.template.spec;
      const [container] = pod.containers;
      expect(matches(deployment.spec.selector.matchLabels, deployment.spec.template.metadata.labels)).toBe(
        true,
      );
      const port = container!.ports?.find((p) => p.name === 'http');
      expect(port?.containerPort).toBe(8080);
      expect(container!.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
      expect(container!.startupProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
      expect(container!.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' });
      expect(container!.resources?.requests).toMatchObject({
        cpu: expect.any(String),
        memory: expect.any(String),
      });
      expect(container!.resources?.limits?.memory).toEqual(expect.any(String));
      expect(container!.image).toMatch(/:\d+\.\d+\.\d+$|@sha256:/);
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
      expect(container!.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
      });
      // `tactful run` exits within SHUTDOWN_DEADLINE_MS of SIGTERM; Kubernetes must not SIGKILL it sooner
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(SHUTDOWN_DEADLINE_MS / 1000);
      expect(pod.terminationGracePeriodSeconds).toBeLessThanOrEqual(SHUTDOWN_DEADLINE_MS / 1000 + 30);
    },
  );

  it('has a disruption budget for every Deployment of more than one replica', () => {
    const budgets = byKind<K8sObject & { spec: { selector: { matchLabels: Record<string, string> } } }>(
      'PodDisruptionBudget',
    );
    for (const deployment of deployments.filter((d) => d.spec.replicas > 1)) {
      const labels = deployment.spec.template.metadata.labels;
      expect(
        budgets.filter((b) => matches(b.spec.selector.matchLabels, labels)),
        deployment.metadata.name,
      ).toHaveLength(1);
    }
  });

  it('routes each Service to a Deployment port', () => {
    for (const service of byKind<
      K8sObject & { spec: { selector: Record<string, string>; ports: { targetPort: string }[] } }
    >('Service')) {
      const target = deployments.find((d) => matches(service.spec.selector, d.spec.template.metadata.labels));
      expect(target, service.metadata.name).toBeDefined();
      const ports = target!.spec.template.spec.containers[0]!.ports?.map((p) => p.name);
      for (const port of service.spec.ports) expect(ports).toContain(port.targetPort);
    }
  });

  it('gives every container an environment the services accept, with the secrets they need', () => {
    const configMaps = byKind<K8sObject & { data: Record<string, string> }>('ConfigMap');
    const secrets = byKind<K8sObject & { stringData: Record<string, string> }>('Secret');
    const known = new Set(Object.keys(TactfulEnv.shape));
    for (const deployment of deployments) {
      const env: Record<string, string> = {};
      for (const source of deployment.spec.template.spec.containers[0]!.envFrom ?? []) {
        const map = source.configMapRef
          ? configMaps.find((c) => c.metadata.name === source.configMapRef!.name)?.data
          : secrets.find((s) => s.metadata.name === source.secretRef?.name)?.stringData;
        expect(map, JSON.stringify(source)).toBeDefined();
        Object.assign(env, map);
      }
      for (const { name, value } of deployment.spec.template.spec.containers[0]!.env ?? []) env[name] = value;
      expect(Object.keys(env).filter((k) => !known.has(k))).toEqual([]);
      expect(() => loadConfig(TactfulEnv, env)).not.toThrow();
      expect(env.TACTFUL_HTTP_PORT).toBe('8080');
      expect(Buffer.byteLength(env.TACTFUL_LINK_SECRET ?? '')).toBeGreaterThanOrEqual(32);
      expect(env.TACTFUL_CONSOLE_TOKEN ?? '').not.toBe('');
    }
  });
});
