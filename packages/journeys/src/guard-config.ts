import { z } from 'zod';
import { DataPath, DataValue, dataMatches } from './data-path';
import { strictObject, unknownName } from './schema-messages';

/** The guards a journey may name. */
export const GUARD_TYPES = ['dataEquals'] as const;
export type GuardType = (typeof GUARD_TYPES)[number];

export const DataEqualsParams = strictObject({ path: DataPath, value: DataValue }, 'dataEquals params');
export type DataEqualsParams = z.infer<typeof DataEqualsParams>;

export const DataEqualsGuard = strictObject(
  { type: z.literal('dataEquals'), params: DataEqualsParams },
  'a guard',
);
export type DataEqualsGuard = z.infer<typeof DataEqualsGuard>;

export const GuardConfig = z.discriminatedUnion('type', [DataEqualsGuard], {
  error: unknownName('guard', GUARD_TYPES),
});
export type GuardConfig = z.infer<typeof GuardConfig>;

/** Pure. The `dataEquals` guard: the event's `data` holds `params.value` at `params.path`. */
export function dataEquals(event: { data?: unknown }, params: DataEqualsParams): boolean {
  return dataMatches({ [params.path]: params.value }, event.data);
}
