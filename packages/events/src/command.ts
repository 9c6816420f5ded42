import { z } from 'zod';
import { CustomerId, identifier, JourneyVersion, Name, Timestamp } from './fields';

/** Command ids as `commandIdFor` makes them: `cmd-` and lower-case hex. */
export const CommandId = z
  .string()
  .regex(/^cmd-[0-9a-f]+$/, 'must be "cmd-" followed by lower-case hex')
  .max(256)
  .describe('Deterministic for the decision that produced it; consumers deduplicate on it.');
export type CommandId = z.infer<typeof CommandId>;

/** Whether a message answers what the person asked (`transactional`) or is outreach (`marketing`). */
export const MESSAGE_CLASSES = ['marketing', 'transactional'] as const;
export const MessageClass = z.enum(MESSAGE_CLASSES);
export type MessageClass = z.infer<typeof MessageClass>;

/**
 * `email.send` on `N.commands` (CONTRACT.md section 4): the orchestrator decided that `customerId`
 * gets `template` now. More optional fields may be added, so readers keep unknown members.
 */
export const EmailSendCommand = z
  .looseObject({
    id: CommandId,
    type: z.literal('email.send'),
    customerId: CustomerId,
    journey: Name.describe('The journey id.'),
    journeyVersion: JourneyVersion,
    stage: Name.describe('The state path whose entry sent it.'),
    template: Name.describe('The template to render.'),
    causationId: identifier(256).describe('The id of the event that caused the decision.'),
    createdAt: Timestamp.describe('When the decision was made.'),
    // Optional, so commands written before these fields existed stay valid; the dispatcher needs them to
    // deliver without reading the orchestrator's state.
    channel: Name.optional().describe('The channel to deliver on; absent means email.'),
    to: z
      .email({ pattern: z.regexes.html5Email })
      .max(254)
      .optional()
      .describe('The address from the customer profile (personal data: never logged).'),
    data: z
      .record(z.string(), z.unknown())
      .optional()
      .describe(
        'What the template may quote: the data of the event that entered the journey, overlaid with the data of the event that caused the send (personal data).',
      ),
    class: MessageClass.optional().describe(
      'The class of the journey: `transactional` (no unsubscribe headers; its template at most once per entry) or `marketing`; absent means marketing.',
    ),
    entry: z
      .int()
      .min(1)
      .optional()
      .describe(
        "Which entry of the journey decided it: a transactional template's ledger is kept per entry.",
      ),
    topic: Name.optional().describe(
      "The subscription topic of the send (the journey's `topic`, or the send's own); an opt-out of it suppresses the send.",
    ),
  })
  .meta({ title: 'email.send' });
export type EmailSendCommand = z.infer<typeof EmailSendCommand>;

/** Every command, discriminated by `type`; new command types are added here. */
export const Command = z.discriminatedUnion('type', [EmailSendCommand]).meta({ title: 'command' });
export type Command = z.infer<typeof Command>;

export const COMMAND_TYPES = ['email.send'] as const;
export type CommandType = Command['type'];
