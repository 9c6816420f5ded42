import MailComposer from 'nodemailer/lib/mail-composer';
import addressparser from 'nodemailer/lib/addressparser';
import { TactfulError, type EmailSendCommand, type LinkSigner } from '@tactful/events';
import type { RenderedMessage } from './render';
import { replyAddressFor } from './reply-address';

/** How the dispatcher signs its mail (`TACTFUL_MAIL_FROM`, `TACTFUL_REPLY_DOMAIN`, `TACTFUL_LINK_SECRET`). */
export interface MailSettings {
  /** The From header: an address, or `Name <address>`. */
  readonly from: string;
  /** The domain of the Reply-To addresses. */
  readonly replyDomain: string;
  /** Signs the Reply-To addresses, so only those Tactful wrote are accepted back. */
  readonly signer: LinkSigner;
}

/** The headers of CONTRACT.md section 4 that tie an email to its command. */
export const TACTFUL_HEADERS = {
  customer: 'X-Tactful-Customer',
  journey: 'X-Tactful-Journey',
  template: 'X-Tactful-Template',
  command: 'X-Tactful-Command',
} as const;

/**
 * Pure. The Message-ID of the email a command produces, derived from the command id alone: a repeat of
 * the same command carries the same Message-ID, so a receiving system can drop it.
 */
export function messageIdFor(commandId: string): string {
  return `<${commandId}@tactful>`;
}

/** Pure. The `X-Tactful-*` headers of a command's email. */
export function tactfulHeaders(command: EmailSendCommand): Record<string, string> {
  return {
    [TACTFUL_HEADERS.customer]: command.customerId,
    [TACTFUL_HEADERS.journey]: command.journey,
    [TACTFUL_HEADERS.template]: command.template,
    [TACTFUL_HEADERS.command]: command.id,
  };
}

/** Pure. The bare address of a From like `Tactful <outreach@tactful.local>`, for the SMTP envelope. */
export function envelopeAddress(from: string): string {
  const [first] = addressparser(from, { flatten: true });
  if (first?.address === undefined || first.address === '')
    throw new TactfulError('config.invalid', `the From ${JSON.stringify(from)} holds no address`);
  return first.address;
}

export interface ComposeInput {
  readonly command: EmailSendCommand;
  readonly to: string;
  readonly rendered: RenderedMessage;
  readonly settings: MailSettings;
  readonly date: Date;
}

/** The whole email (RFC 5322, plain text), ready for the DATA of an SMTP conversation. */
export async function composeMessage(input: ComposeInput): Promise<Buffer> {
  const { command, to, rendered, settings } = input;
  const composer = new MailComposer({
    from: settings.from,
    to,
    replyTo: replyAddressFor(command.id, settings.replyDomain, settings.signer),
    subject: rendered.subject,
    text: rendered.text,
    messageId: messageIdFor(command.id),
    date: input.date,
    headers: tactfulHeaders(command),
  });
  return composer.compile().build();
}
