import type { Profile } from '@tactful/engine';
import type { EmailSendCommand } from '@tactful/events';
import { linksFor, type EmailLinks } from './links';
import { composeMessage, type MailSettings } from './message';
import { renderMessage, templateScope, type RenderedMessage } from './render';
import type { MessageTemplate, TemplateEngines } from './templates';

/** Everything that makes one email. */
export interface EmailInput {
  readonly command: EmailSendCommand;
  readonly to: string;
  readonly template: MessageTemplate;
  readonly engines: TemplateEngines;
  /** The customer's profile from the store, when it has one. */
  readonly profile: Profile | null;
  readonly journeyName?: string;
  readonly settings: MailSettings;
  readonly date: Date;
  /**
   * A test copy (`tactful templates send-test`): the subject says `[TEST]` and the links carry a test
   * token, which the endpoints answer without unsubscribing anyone.
   */
  readonly test?: boolean;
}

/** One email, as rendered and as sent. */
export interface BuiltEmail {
  readonly rendered: RenderedMessage;
  readonly links: EmailLinks;
  /** Whether it carries `List-Unsubscribe` (every email but a transactional journey's). */
  readonly marketing: boolean;
  /** The message as it goes into the SMTP DATA. */
  readonly raw: Buffer;
}

/**
 * Renders and composes the email of a command: the one code path of the dispatcher's sends and of
 * `tactful templates preview` and `send-test`, so what a preview shows is what a person receives. Throws
 * what rendering throws.
 */
export async function buildEmail(input: EmailInput): Promise<BuiltEmail> {
  const { command } = input;
  const marketing = command.class !== 'transactional';
  const links = linksFor(
    {
      customerId: command.customerId,
      commandId: command.id,
      ...(command.topic === undefined ? {} : { topic: command.topic }),
      ...(input.test === true ? { test: true } : {}),
    },
    input.settings,
  );
  const scope = templateScope({
    command,
    profile: input.profile,
    links,
    ...(input.journeyName === undefined ? {} : { journeyName: input.journeyName }),
  });
  const rendered = await renderMessage(input.engines, input.template, scope);
  const subjectOf = input.test === true ? { ...rendered, subject: `[TEST] ${rendered.subject}` } : rendered;
  const raw = await composeMessage({
    command,
    to: input.to,
    rendered: subjectOf,
    settings: input.settings,
    date: input.date,
    ...(marketing ? { unsubscribe: links } : {}),
  });
  return { rendered: subjectOf, links, marketing, raw };
}
