import { z } from 'zod';
import { DataPath, DataValue, dataMatches } from './data-path';
import { strictObject, unknownName } from './schema-messages';

/** The guards a journey may name. */
export const GUARD_TYPES = ['dataEquals', 'split'] as const;
export type GuardType = (typeof GUARD_TYPES)[number];

export const DataEqualsParams = strictObject({ path: DataPath, value: DataValue }, 'dataEquals params');
export type DataEqualsParams = z.infer<typeof DataEqualsParams>;

export const DataEqualsGuard = strictObject(
  { type: z.literal('dataEquals'), params: DataEqualsParams },
  'a guard',
);
export type DataEqualsGuard = z.infer<typeof DataEqualsGuard>;

export const SplitParams = strictObject(
  {
    percent: z
      .number({ error: 'percent is a number from 0 to 100' })
      .min(0, { error: 'percent is a number from 0 to 100' })
      .max(100, { error: 'percent is a number from 0 to 100' })
      .describe('The share of customers for whom the guard holds, 0 to 100.'),
    salt: z
      .string()
      .min(1, { error: 'a salt is a non-empty string' })
      .max(100, { error: 'a salt is at most 100 characters' })
      .optional()
      .describe(
        'Draws the customers afresh: splits with the same salt (or none) agree, so cumulative percents cut them in three or more.',
      ),
  },
  'split params',
);
export type SplitParams = z.infer<typeof SplitParams>;

/** True for a deterministic `percent` % of customers, by a hash of the journey id and the customer id. */
export const SplitGuard = strictObject({ type: z.literal('split'), params: SplitParams }, 'a guard');
export type SplitGuard = z.infer<typeof SplitGuard>;

export const GuardConfig = z.discriminatedUnion('type', [DataEqualsGuard, SplitGuard], {
  error: unknownName('guard', GUARD_TYPES),
});
export type GuardConfig = z.infer<typeof GuardConfig>;

/** Pure. The `dataEquals` guard: the event's `data` holds `params.value` at `params.path`. */
export function dataEquals(event: { data?: unknown }, params: DataEqualsParams): boolean {
  return dataMatches({ [params.path]: params.value }, event.data);
}
