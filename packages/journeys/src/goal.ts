import { z } from 'zod';
import { DataPath, DataValue, dataMatches } from './data-path';
import { parseIsoDuration } from '@tactful/events';
import { JourneyEventType } from './journey-event-type';
import { strictObject } from './schema-messages';

/** A window of fixed length, as an ISO 8601 duration (`P14D`, `PT12H`, `P2W`). */
export const GoalWindow = z
  .string()
  .superRefine((value, ctx) => {
    const parsed = parseIsoDuration(value);
    if ('error' in parsed) ctx.addIssue({ code: 'custom', message: parsed.error });
    else if (parsed.ms === 0)
      ctx.addIssue({ code: 'custom', message: `"${value}" is zero; a window must last some time` });
  })
  .describe('How long after entering a matching event still counts (ISO 8601: P14D, PT12H, P2W).');
export type GoalWindow = z.infer<typeof GoalWindow>;

/**
 * What counts as a conversion of a journey: an event of `event`'s type (with `where` holding on its data,
 * as in a trigger) within `within` of entering. Tracking only: reaching it ends nothing, unless `haltOn`
 * lists the same event type.
 */
export const Goal = strictObject(
  {
    event: JourneyEventType,
    where: z.record(DataPath, DataValue).optional(),
    within: GoalWindow,
  },
  'goal',
);
export type Goal = z.infer<typeof Goal>;

/** Pure. True when an event of this type and data reaches the goal (the window is the engine's). */
export function goalMatches(goal: Goal, event: { type: string; data?: unknown }): boolean {
  return event.type === goal.event && dataMatches(goal.where ?? {}, event.data);
}

/** The share of people who would enter that is held out: tracked, sent nothing. */
export const HoldoutPercent = z
  .number({ error: 'holdout is a percent, a number from 0 to 100' })
  .min(0, { error: 'holdout is a percent, a number from 0 to 100' })
  .max(100, { error: 'holdout is a percent, a number from 0 to 100' });
export type HoldoutPercent = z.infer<typeof HoldoutPercent>;
