import { z } from 'zod';
import { Name } from '../fields';

// What happened to a message after the dispatcher sent it. Only `email.sent` is ours (the dispatcher
// writes it, so its fields are required); the others come from email providers' webhooks, which do not
// always know the command, so they carry it when they can.

const CommandRef = Name.describe('The id of the command that produced the message (X-Tactful-Command).');
const TemplateRef = Name.describe('The template of the message (X-Tactful-Template).');

/** `email.sent`: the dispatcher handed a message to the mail server. */
export const EmailSentData = z
  .looseObject({
    commandId: CommandRef,
    template: TemplateRef,
    messageId: Name.describe('The Message-ID of the delivered email.'),
  })
  .describe('The dispatcher handed a message to the mail server (written by the dispatcher).');
export type EmailSentData = z.infer<typeof EmailSentData>;

/** `email.opened`: the provider saw the message opened. */
export const EmailOpenedData = z
  .looseObject({
    commandId: CommandRef.optional(),
    template: TemplateRef.optional(),
  })
  .describe('The provider saw the message opened.');
export type EmailOpenedData = z.infer<typeof EmailOpenedData>;

/** `email.clicked`: a link in the message was followed. */
export const EmailClickedData = z
  .looseObject({
    commandId: CommandRef.optional(),
    template: TemplateRef.optional(),
    url: z.url().max(8192).optional().describe('The link that was followed.'),
  })
  .describe('A link in the message was followed.');
export type EmailClickedData = z.infer<typeof EmailClickedData>;

/** `email.replied`: the person answered; journeys that list it in `haltOn` stop at once. */
export const EmailRepliedData = z
  .looseObject({
    commandId: CommandRef.optional(),
    template: TemplateRef.optional(),
    text: z.string().optional().describe('The reply text (personal data: never logged).'),
  })
  .describe('The person answered; journeys that list it in haltOn stop at once.');
export type EmailRepliedData = z.infer<typeof EmailRepliedData>;

/** `email.bounced`: the message could not be delivered; a hard bounce suppresses the address. */
export const EmailBouncedData = z
  .looseObject({
    commandId: CommandRef.optional(),
    hard: z.boolean().describe('true for a permanent failure (unknown address), false for a transient one.'),
  })
  .describe('The message could not be delivered; a hard bounce suppresses the address.');
export type EmailBouncedData = z.infer<typeof EmailBouncedData>;
