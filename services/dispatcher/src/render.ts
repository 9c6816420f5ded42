import { convert } from 'html-to-text';
import type { Profile } from '@tactful/engine';
import type { EmailSendCommand } from '@tactful/events';
import type { EmailLinks } from './links';
import type { MessageTemplate, TemplateEngines } from './templates';

/** A template rendered for one command: what goes into the email. */
export interface RenderedMessage {
  readonly subject: string;
  readonly text: string;
  /** The HTML part, when the template has an HTML body. */
  readonly html?: string;
}

export interface ScopeInput {
  readonly command: EmailSendCommand;
  /** The customer's profile from their state, when the store has one. */
  readonly profile?: Profile | null;
  /** The journey's name from its file, when the dispatcher knows the journey. */
  readonly journeyName?: string;
  /** The email's unsubscribe and preference links. */
  readonly links?: EmailLinks;
}

/**
 * Pure. The variables a template sees (docs/templates.md): `customer` (the profile: `id`, `email`, `name`,
 * `fields`), `trigger` (the command's `data`: the data of the event that entered the journey, overlaid
 * with that of the event that caused the send), `journey` (`id`, `version`, `name`), `stage` (the state
 * path that sent it), `command` (its id and the fields of CONTRACT.md section 4), and the links
 * `unsubscribe_url` and `preferences_url`.
 */
export function templateScope({ command, profile, journeyName, links }: ScopeInput): Record<string, unknown> {
  return {
    unsubscribe_url: links?.unsubscribeUrl,
    preferences_url: links?.preferencesUrl,
    customer: {
      id: command.customerId,
      email: command.to ?? profile?.email,
      name: profile?.name,
      fields: profile?.fields ?? {},
    },
    trigger: command.data ?? {},
    journey: { id: command.journey, version: command.journeyVersion, name: journeyName },
    stage: command.stage,
    command: {
      id: command.id,
      type: command.type,
      customerId: command.customerId,
      journey: command.journey,
      journeyVersion: command.journeyVersion,
      stage: command.stage,
      template: command.template,
      causationId: command.causationId,
      createdAt: command.createdAt,
    },
  };
}

/**
 * Pure. The plain text of an HTML body, for the text part of an email whose template wrote none: links
 * kept as `text [url]`, images left out, lines wrapped for a mail reader.
 */
export function textOfHtml(html: string): string {
  return convert(html, {
    wordwrap: 78,
    selectors: [
      { selector: 'img', format: 'skip' },
      { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
    ],
  });
}

/**
 * Renders a template: the subject (one line: line breaks a variable brought in become spaces, so no
 * value can add a header), the text body (nothing escaped: plain text quotes a person as they wrote;
 * generated from the HTML when the template wrote none) and the HTML body (every output escaped by the
 * HTML engine). Throws what liquidjs throws (a filter given a value it cannot take); the caller treats
 * that as a permanent failure of the command.
 */
export async function renderMessage(
  engines: TemplateEngines,
  template: MessageTemplate,
  scope: Record<string, unknown>,
): Promise<RenderedMessage> {
  const subject = (await engines.text.render(template.subject, scope)) as string;
  const html =
    template.html === undefined ? undefined : ((await engines.html.render(template.html, scope)) as string);
  const written =
    template.text === undefined ? undefined : ((await engines.text.render(template.text, scope)) as string);
  const text = written ?? textOfHtml(html ?? '');
  return {
    subject: subject.replace(/\s+/g, ' ').trim(),
    text: `${text.replace(/^(?:[ \t]*\r?\n)+/, '').trimEnd()}\n`,
    ...(html === undefined ? {} : { html }),
  };
}
