import { readFile } from 'node:fs/promises';
import { createLinkSigner, TactfulError, type LinkSigner } from '@tactful/events';
import { formatProblem, loadJourneys } from '@tactful/journeys';
import { publicUrlOf, type TactfulEnv } from '@tactful/observability';
import { formatProblem as formatPolicyProblem, parsePolicy, type Policy } from '@tactful/policy';
import type { JourneyInfo } from './command-handler';
import { envelopeAddress } from './message';
import { templateUsesOf } from './template-uses';
import { loadTemplates, type MessageTemplate, type TemplateEngines } from './templates';

/** The environment the dispatcher reads (CONTRACT.md section 1 and the README's configuration table). */
export type DispatcherEnv = Pick<
  TactfulEnv,
  | 'TACTFUL_JOURNEYS'
  | 'TACTFUL_TEMPLATES'
  | 'TACTFUL_POLICY'
  | 'TACTFUL_SMTP_URL'
  | 'TACTFUL_MAIL_FROM'
  | 'TACTFUL_REPLY_DOMAIN'
  | 'TACTFUL_DELIVERY_LEASE_MS'
  | 'TACTFUL_LINK_SECRET'
  | 'TACTFUL_HALT_SIGNAL_MAX_LAG_MS'
  | 'TACTFUL_PUBLIC_URL'
  | 'TACTFUL_HTTP_PORT'
>;

/** Everything the dispatcher loaded and checked before anything started. */
export interface PreparedDispatcher {
  readonly smtpUrl: string;
  readonly mailFrom: string;
  /** The domain of the Reply-To and `mailto:` unsubscribe addresses (`TACTFUL_REPLY_DOMAIN`). */
  readonly replyDomain: string;
  /** Signs and checks the Reply-To addresses (`TACTFUL_LINK_SECRET`). */
  readonly signer: LinkSigner;
  /** How far behind in time the sentinel may be before sends are held (`TACTFUL_HALT_SIGNAL_MAX_LAG_MS`). */
  readonly haltSignalMaxLagMs: number;
  readonly leaseMs: number;
  /**
   * The base URL of the links in emails: `TACTFUL_PUBLIC_URL`, else this process's HTTP server on
   * loopback (`tactful run` passes the port it listens on to the dispatcher).
   */
  readonly publicUrl: string;
  /** Whether `TACTFUL_PUBLIC_URL` was set (unset: the links point at loopback, which is for a laptop). */
  readonly publicUrlSet: boolean;
  readonly engines: TemplateEngines;
  readonly templates: ReadonlyMap<string, MessageTemplate>;
  readonly journeys: (journey: string, version: number) => JourneyInfo | undefined;
  readonly policy: Policy;
}

/**
 * Loads and checks what the dispatcher needs, and refuses the start with every problem at once
 * (`config.invalid`): no `TACTFUL_SMTP_URL`, no `TACTFUL_LINK_SECRET`, a journey file refused, a template
 * some journey sends that is missing or does not parse, a marketing template without
 * `{{ unsubscribe_url }}`, a policy file refused.
 */
export async function prepareDispatcher(env: DispatcherEnv): Promise<PreparedDispatcher> {
  const problems: string[] = [];
  if (env.TACTFUL_SMTP_URL === undefined)
    problems.push(
      'TACTFUL_SMTP_URL: unset; the dispatcher delivers email there (smtp://host:port) and does not start without it',
    );
  if (env.TACTFUL_LINK_SECRET === undefined)
    problems.push(
      'TACTFUL_LINK_SECRET: unset; the dispatcher signs every Reply-To address with it (at least 32 bytes, e.g. `openssl rand -hex 32`), so that a reply cannot be forged, and does not start without it',
    );
  try {
    envelopeAddress(env.TACTFUL_MAIL_FROM);
  } catch (err) {
    problems.push(`TACTFUL_MAIL_FROM: ${(err as Error).message}`);
  }

  const loaded = await loadJourneys(env.TACTFUL_JOURNEYS);
  problems.push(...loaded.problems.map(formatProblem));
  if (loaded.files.length === 0)
    problems.push(`${env.TACTFUL_JOURNEYS}: no journey files (*.yaml, *.yml, *.json)`);
  const byVersion = new Map<string, JourneyInfo>();
  const latest = new Map<string, { version: number; info: JourneyInfo }>();
  for (const { journey } of loaded.journeys) {
    const info = {
      name: journey.name,
      prospecting: journey.audience?.exclude?.includes('customers') ?? false,
    };
    byVersion.set(`${journey.id}@${journey.version}`, info);
    if ((latest.get(journey.id)?.version ?? 0) < journey.version)
      latest.set(journey.id, { version: journey.version, info });
  }

  const templates = await loadTemplates(env.TACTFUL_TEMPLATES, templateUsesOf(loaded.journeys));
  problems.push(...templates.problems);

  let policy: Policy | undefined;
  try {
    const parsed = parsePolicy(await readFile(env.TACTFUL_POLICY, 'utf8'), env.TACTFUL_POLICY);
    if (parsed.ok) policy = parsed.policy;
    else problems.push(...parsed.problems.map(formatPolicyProblem));
  } catch (err) {
    problems.push(`${env.TACTFUL_POLICY}: cannot read the contact policy (${(err as Error).message})`);
  }

  if (
    problems.length > 0 ||
    env.TACTFUL_SMTP_URL === undefined ||
    env.TACTFUL_LINK_SECRET === undefined ||
    policy === undefined
  )
    throw new TactfulError(
      'config.invalid',
      `refusing to start the dispatcher (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
  return {
    smtpUrl: env.TACTFUL_SMTP_URL,
    mailFrom: env.TACTFUL_MAIL_FROM,
    replyDomain: env.TACTFUL_REPLY_DOMAIN,
    signer: createLinkSigner(env.TACTFUL_LINK_SECRET),
    haltSignalMaxLagMs: env.TACTFUL_HALT_SIGNAL_MAX_LAG_MS,
    leaseMs: env.TACTFUL_DELIVERY_LEASE_MS,
    publicUrl: publicUrlOf(env),
    publicUrlSet: env.TACTFUL_PUBLIC_URL !== undefined,
    engines: templates.engines,
    templates: templates.templates,
    journeys: (journey, version) => byVersion.get(`${journey}@${version}`) ?? latest.get(journey)?.info,
    policy,
  };
}
