import { randomBytes } from 'node:crypto';
import type { Profile } from '@tactful/engine';
import {
  commandIdFor,
  createLinkSigner,
  TactfulError,
  type EmailSendCommand,
  type LinkSigner,
} from '@tactful/events';
import { loadJourneys, templatesOf, type Journey } from '@tactful/journeys';
import type { Logger } from '@tactful/observability';
import { buildEmail, type BuiltEmail } from './email';
import { envelopeAddress, type MailSettings } from './message';
import { createSmtpSender } from './smtp-sender';
import { templateUsesOf } from './template-uses';
import { loadTemplates, type LoadedTemplates } from './templates';

// `tactful templates preview` and `send-test`: the dispatcher's own loading and rendering (`buildEmail`),
// so a preview is exactly what a person would receive, and `journeys validate`'s template check.

/** The journeys and templates folders, loaded as the dispatcher loads them, with every problem. */
export interface TemplateWorkspace {
  readonly journeys: readonly { file: string; journey: Journey }[];
  readonly templates: LoadedTemplates;
  /** Journey files refused, and templates missing, unparsable or without the unsubscribe link. */
  readonly problems: readonly string[];
}

/** Loads the journeys and the templates they send, as the dispatcher does at start. */
export async function loadTemplateWorkspace(
  journeysDir: string,
  templatesDir: string,
): Promise<TemplateWorkspace> {
  const loaded = await loadJourneys(journeysDir);
  const templates = await loadTemplates(templatesDir, templateUsesOf(loaded.journeys));
  return { journeys: loaded.journeys, templates, problems: templates.problems };
}

/** Who a preview is for: a customer's profile and the data the template quotes as `trigger`. */
export interface PreviewSubject {
  readonly customerId: string;
  readonly profile: Profile | null;
  readonly data: Record<string, unknown>;
}

export interface PreviewInput {
  readonly workspace: TemplateWorkspace;
  readonly template: string;
  readonly subject: PreviewSubject;
  readonly settings: MailSettings;
  readonly now: Date;
  /** A test copy: `[TEST]` in the subject and a test token in the links. */
  readonly test?: boolean;
}

/**
 * The email the dispatcher would send of `template` to `subject`, as the first journey that sends it
 * would (its class, topic and name); a template no journey sends is rendered as a marketing email.
 * Throws `config.invalid` for a template the folder does not have (or that has problems).
 */
export async function previewEmail(input: PreviewInput): Promise<BuiltEmail> {
  const { workspace, subject } = input;
  const template = workspace.templates.templates.get(input.template);
  if (template === undefined) {
    const problems = workspace.problems.filter((p) => p.includes(input.template));
    throw new TactfulError(
      'config.invalid',
      `no usable template "${input.template}"${problems.length > 0 ? `:\n${problems.join('\n')}` : ''}`,
    );
  }
  const journey = workspace.journeys.find(({ journey: j }) => sends(j, input.template))?.journey;
  const base = {
    customerId: subject.customerId,
    journey: journey?.id ?? 'preview',
    journeyVersion: journey?.version ?? 1,
    stage: 'preview',
    template: input.template,
    causationId: `preview-${input.now.getTime()}`,
  };
  const to = subject.profile?.email;
  const command: EmailSendCommand = {
    ...base,
    id: commandIdFor(base),
    type: 'email.send',
    createdAt: input.now.toISOString(),
    data: subject.data,
    class: journey?.class ?? 'marketing',
    entry: 1,
    ...(journey?.topic === undefined ? {} : { topic: journey.topic }),
    ...(to === undefined ? {} : { to }),
  };
  return buildEmail({
    command,
    to: to ?? 'preview@example.invalid',
    template,
    engines: workspace.templates.engines,
    profile: subject.profile,
    settings: input.settings,
    date: input.now,
    ...(journey === undefined ? {} : { journeyName: journey.name }),
    ...(input.test === true ? { test: true } : {}),
  });
}

function sends(journey: Journey, template: string): boolean {
  return templatesOf(journey).includes(template);
}

/** The link signer of a preview: the configured secret, else a throwaway one (the links then go nowhere). */
export function previewSigner(secret: string | undefined): LinkSigner {
  return createLinkSigner(secret ?? randomBytes(32).toString('hex'));
}

/**
 * Delivers one test copy through `TACTFUL_SMTP_URL`: no claim, no ledger entry, no audit, no event; its
 * links carry a test token, which unsubscribes nobody. Throws when the server does not accept it.
 */
export async function sendTestEmail(input: {
  readonly email: BuiltEmail;
  readonly to: string;
  readonly smtpUrl: string;
  readonly from: string;
  readonly logger: Logger;
}): Promise<string> {
  const sender = createSmtpSender({ url: input.smtpUrl, timeoutMs: 30_000, logger: input.logger });
  const outcome = await sender.send(
    { from: envelopeAddress(input.from), to: input.to },
    input.email.raw,
    async () => undefined,
  );
  if (outcome.kind === 'accepted') return outcome.response;
  const detail = outcome.kind === 'aborted' ? String(outcome.cause) : `${outcome.kind}: ${outcome.detail}`;
  throw new TactfulError(
    outcome.kind === 'permanent' ? 'smtp.permanent' : 'smtp.transient',
    `the SMTP server did not accept the test copy: ${detail}`,
  );
}
