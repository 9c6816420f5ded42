import MailComposer from 'nodemailer/lib/mail-composer';
import addressparser from 'nodemailer/lib/addressparser';
import { replyAddressFor, TactfulError, type EmailSendCommand, type LinkSigner } from '@tactful/events';
import type { EmailLinks, LinkSettings } from './links';
import type { RenderedMessage } from './render';

/**
 * How the dispatcher signs its mail and links (`TACTFUL_MAIL_FROM`, `TACTFUL_REPLY_DOMAIN`,
 * `TACTFUL_LINK_SECRET`, `TACTFUL_PUBLIC_URL`).
 */
export interface MailSettings extends LinkSettings {
  /** The From header: an address, or `Name <address>`. */
  readonly from: string;
  /** The domain of the Reply-To addresses. */
  readonly replyDomain: string;
  /** Signs the Reply-To addresses, so only those Tactful wrote are accepted back. */
  readonly signer: LinkSigner;
}

/**
 * Pure. A header value on one line: every run of CR, LF and other line breaks becomes one space, so a
 * value that came from data (a subject quoting a form field) can never start a header of its own.
 */
export function headerSafe(value: string): string {
  return value.replace(/[\r\n\u0085\u2028\u2029]+/g, ' ');
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
  /** The unsubscribe links of a marketing email: its `List-Unsubscribe` headers. */
  readonly unsubscribe?: EmailLinks;
}

/** The headers of one-click unsubscribe (RFC 2369, RFC 8058) of a marketing email. */
export function unsubscribeHeaders(links: EmailLinks): Record<string, string> {
  return {
    'List-Unsubscribe': links.listUnsubscribe,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}

/**
 * The whole email (RFC 5322), ready for the DATA of an SMTP conversation: plain text, or
 * `multipart/alternative` with the HTML part when there is one; a marketing email carries the
 * unsubscribe headers. Every header value is on one line (`headerSafe`).
 */
export async function composeMessage(input: ComposeInput): Promise<Buffer> {
  const { command, to, rendered, settings } = input;
  const own = {
    ...tactfulHeaders(command),
    ...(input.unsubscribe === undefined ? {} : unsubscribeHeaders(input.unsubscribe)),
  };
  const composer = new MailComposer({
    from: headerSafe(settings.from),
    to: headerSafe(to),
    replyTo: replyAddressFor(command.id, settings.replyDomain, settings.signer),
    subject: headerSafe(rendered.subject),
    text: rendered.text,
    ...(rendered.html === undefined ? {} : { html: rendered.html }),
    messageId: messageIdFor(command.id),
    date: input.date,
    headers: Object.fromEntries(Object.entries(own).map(([name, value]) => [name, headerSafe(value)])),
  });
  return composer.compile().build();
}
