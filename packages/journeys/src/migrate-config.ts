import { z } from 'zod';
import { strictObject } from './schema-messages';

/** A stage as the engine keeps it: the dotted path of the deepest state (`welcome`, `onboarding.tips`). */
export const StagePath = z.string().regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, {
  error: 'a stage is a state path: state names joined by "." (welcome, onboarding.tips)',
});
export type StagePath = z.infer<typeof StagePath>;

/**
 * `migrate` of a journey file: how the customers in flight on an older version move to this one. A
 * customer of version `from` whose stage is a key of `states` moves, at their next event or timer, to
 * the stage it names here; a customer in a stage that is not listed stays on version `from`.
 */
export const Migrate = strictObject(
  {
    from: z.number().int().positive().describe('The older version whose customers move to this one.'),
    states: z
      .record(StagePath, StagePath)
      .refine((states) => Object.keys(states).length > 0, {
        error: 'name at least one stage of the older version and the stage of this one it moves to',
      })
      .describe('A stage of the older version → the stage of this version its customers move to.'),
  },
  'migrate',
);
export type Migrate = z.infer<typeof Migrate>;
