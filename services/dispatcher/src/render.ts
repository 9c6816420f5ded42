import type { Liquid } from 'liquidjs';
import type { Profile } from '@tactful/engine';
import type { EmailSendCommand } from '@tactful/events';
import type { MessageTemplate } from './templates';

/** A template rendered for one command: what goes into the email. */
export interface RenderedMessage {
  readonly subject: string;
  readonly text: string;
}

export interface ScopeInput {
  readonly command: EmailSendCommand;
  /** The customer's profile from their state, when the store has one. */
  readonly profile?: Profile | null;
  /** The journey's name from its file, when the dispatcher knows the journey. */
  readonly journeyName?: string;
}

/**
 * Pure. The variables a template sees (docs/templates.md): `customer` (the profile: `id`, `email`, `name`,
 * `fields`), `trigger` (the command's `data`: the data of the event that entered the journey, overlaid
 * with that of the event that caused the send), `journey` (`id`, `version`, `name`), `stage` (the state
 * path that sent it) and `command` (its id and the fields of CONTRACT.md section 4).
 */
export function templateScope({ command, profile, journeyName }: ScopeInput): Record<string, unknown> {
  return {
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
 * Renders a template as plain text (nothing is escaped: the email has no HTML part). The subject is one
 * line: line breaks that a variable brought in become spaces. Throws what liquidjs throws (a filter
 * given a value it cannot take); the caller treats that as a permanent failure of the command.
 */
export async function renderMessage(
  liquid: Liquid,
  template: MessageTemplate,
  scope: Record<string, unknown>,
): Promise<RenderedMessage> {
  const subject = (await liquid.render(template.subject, scope)) as string;
  const text = (await liquid.render(template.body, scope)) as string;
  return {
    subject: subject.replace(/\s+/g, ' ').trim(),
    text: `${text.replace(/^(?:[ \t]*\r?\n)+/, '').trimEnd()}\n`,
  };
}
