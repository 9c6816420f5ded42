import type { GuardConfig, GuardType } from './guard-config';
import { inSplit } from './assignment';
import { dataEquals } from './guard-config';

/**
 * What a guard may look at when a journey is stepped: the event (its `type` and `data`), and who and
 * what is stepped, so that a guard can decide per customer (a split of customers by a hash of the
 * journey and the customer id) as well as per event.
 */
export interface GuardInput {
  readonly journeyId: string;
  readonly customerId: string;
  readonly event: { readonly type: string; readonly data?: unknown };
}

type ParamsOf<T extends GuardType> = Extract<GuardConfig, { type: T }>['params'];

/**
 * The guards of journey files, by name. A new guard is a new entry here (TypeScript asks for one as
 * soon as its name joins `GUARD_TYPES`), plus its params schema in `guard-config.ts`; the compiled
 * journeys and the XState machines both test guards through `guardHolds`, so they cannot disagree.
 */
/** How each named guard is tested: by name, its params as the file gives them, and the step's input. */
export type GuardTests = {
  readonly [T in GuardType]: (params: ParamsOf<T>, input: GuardInput) => boolean;
};

export const GUARD_TESTS: GuardTests = {
  dataEquals: (params, input) => dataEquals(input.event, params),
  split: (params, input) => inSplit(params, input.journeyId, input.customerId),
};

/** Pure. Whether `guard` (a name and its params, as the journey file gives them) holds for `input`. */
export function guardHolds(guard: GuardConfig, input: GuardInput, tests: GuardTests = GUARD_TESTS): boolean {
  const test = tests[guard.type] as (params: unknown, input: GuardInput) => boolean;
  return test(guard.params, input);
}
