import { z } from 'zod';
import { strictObject, unknownName } from './schema-messages';

/** Channels a `send` may use; the dispatcher delivers email only, so far. */
export const CHANNELS = ['email'] as const;
export type Channel = (typeof CHANNELS)[number];

/** The actions a journey may name. The engine reads them from `transition()`; none runs code here. */
export const ACTION_TYPES = ['send'] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

/**
 * A template's name. Whether the template exists is the dispatcher's concern; the name is kept to one
 * plain file name so that it can never point outside the templates folder.
 */
export const TemplateName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, {
  error: 'a template name is letters, digits, ".", "_" and "-", without the file extension',
});
export type TemplateName = z.infer<typeof TemplateName>;

/**
 * The subscription topic of a journey or of one send (`newsletter`): a person who leaves it gets no more
 * of its sends. Compared trimmed and case-blind, as the contact view keeps it.
 */
export const Topic = z
  .string()
  .trim()
  .min(1, { error: 'a topic is not empty' })
  .max(100, { error: 'a topic is at most 100 characters' });
export type Topic = z.infer<typeof Topic>;

export const SendParams = strictObject(
  {
    template: TemplateName,
    channel: z.enum(CHANNELS).default('email'),
    /** The subscription topic of this send; default the journey's `topic`. */
    topic: Topic.optional(),
  },
  'send params',
);
export type SendParams = z.infer<typeof SendParams>;

export const SendAction = strictObject({ type: z.literal('send'), params: SendParams }, 'an action');
export type SendAction = z.infer<typeof SendAction>;

export const ActionConfig = z.discriminatedUnion('type', [SendAction], {
  error: unknownName('action', ACTION_TYPES),
});
export type ActionConfig = z.infer<typeof ActionConfig>;

/** `entry` and `exit` take one action or a list; the parsed form is always a list. */
export const ActionList = z.preprocess(
  (value) => (Array.isArray(value) ? value : [value]),
  z.array(ActionConfig),
);
export type ActionList = z.infer<typeof ActionList>;
