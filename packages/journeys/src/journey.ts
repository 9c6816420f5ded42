import { z } from 'zod';
import { MessageClass, parseIsoDuration } from '@tactful/events';
import { Topic } from './action-config';
import { Goal, HoldoutPercent } from './goal';
import { JourneyEventType } from './journey-event-type';
import { MachineConfig } from './machine-config';
import { Migrate } from './migrate-config';
import { strictObject } from './schema-messages';
import { Trigger } from './trigger';

/** Ids name Redis keys, timers and XState state ids, where dots and spaces would be ambiguous. */
export const JourneyId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/, {
  error: 'a journey id is up to 100 letters, digits, "_" and "-"',
});
export type JourneyId = z.infer<typeof JourneyId>;

/** `never`, `always`, or an ISO 8601 duration to wait after leaving before the person may enter again. */
export const Reentry = z.string().superRefine((value, ctx) => {
  if (value === 'never' || value === 'always') return;
  const parsed = parseIsoDuration(value);
  if ('error' in parsed) {
    ctx.addIssue({ code: 'custom', message: `not never, always or a duration: ${parsed.error}` });
  }
});
export type Reentry = z.infer<typeof Reentry>;

export const AUDIENCE_EXCLUSIONS = ['customers'] as const;

export const Audience = strictObject(
  { exclude: z.array(z.enum(AUDIENCE_EXCLUSIONS)).optional() },
  'audience',
);
export type Audience = z.infer<typeof Audience>;

/** A journey file (CONTRACT.md section 5). */
export const Journey = strictObject(
  {
    id: JourneyId,
    version: z.number().int().positive(),
    name: z.string().min(1),
    description: z.string().optional(),
    trigger: Trigger,
    reentry: Reentry,
    audience: Audience.optional(),
    haltOn: z.array(JourneyEventType),
    products: z.array(z.string().min(1)).optional(),
    class: MessageClass.default('marketing'),
    topic: Topic.optional(),
    holdout: HoldoutPercent.optional().describe(
      'Percent of the people who would enter that are entered and tracked but sent nothing.',
    ),
    goal: Goal.optional().describe('What counts as a conversion, within a window after entering.'),
    machine: MachineConfig,
    migrate: Migrate.optional().describe('How the customers in flight on an older version move to this one.'),
  },
  'a journey',
);
export type Journey = z.infer<typeof Journey>;
