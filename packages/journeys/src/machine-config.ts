import { z } from 'zod';
import { ActionList } from './action-config';
import { parseDelayKey } from './delay-key';
import { GuardConfig } from './guard-config';
import { JourneyEventKey } from './journey-event-type';
import { strictObject } from './schema-messages';

/**
 * The `machine` of a journey file: an XState v5 machine config as plain data, restricted to what the
 * engine can step purely and the static checks can prove things about. Nested (compound) states are
 * allowed; parallel and history states, `always`, `invoke`, context and inline code are not.
 */

/** Dots and `#` are XState's path and id syntax, so a state name keeps to plain characters. */
export const StateName = z.string().regex(/^[A-Za-z0-9_-]+$/, {
  error: 'a state name is letters, digits, "_" and "-"',
});
export type StateName = z.infer<typeof StateName>;

export const TransitionConfig = strictObject(
  {
    target: z.string().min(1, { error: 'a transition needs a target state' }),
    guard: GuardConfig.optional(),
    description: z.string().optional(),
  },
  'a transition',
);
export type TransitionConfig = z.infer<typeof TransitionConfig>;

/** A target name, a `{ target, guard }`, or a list of them tried in order; parsed as a list of objects. */
export const Transitions = z.preprocess(
  (value) =>
    (Array.isArray(value) ? value : [value]).map((item: unknown) =>
      typeof item === 'string' ? { target: item } : item,
    ),
  z.array(TransitionConfig).min(1, { error: 'an empty list of transitions does nothing; remove the key' }),
);
export type Transitions = z.infer<typeof Transitions>;

export const DelayKey = z.string().superRefine((key, ctx) => {
  const parsed = parseDelayKey(key);
  if ('error' in parsed) ctx.addIssue({ code: 'custom', message: parsed.error });
});

/** Keys are public event types (`email.opened`); an event reaches the machine by its CloudEvents `type`. */
export const OnConfig = z.record(JourneyEventKey, Transitions);
export type OnConfig = z.infer<typeof OnConfig>;

/** Keys are ISO 8601 durations (`P3D`) or milliseconds (`30000`). */
export const AfterConfig = z.record(DelayKey, Transitions);
export type AfterConfig = z.infer<typeof AfterConfig>;

/** Written out by hand because a recursive schema cannot infer its own type. */
export interface StateConfig {
  type?: 'final' | undefined;
  description?: string | undefined;
  entry?: ActionList | undefined;
  exit?: ActionList | undefined;
  on?: OnConfig | undefined;
  after?: AfterConfig | undefined;
  initial?: StateName | undefined;
  states?: Record<StateName, StateConfig> | undefined;
}

export const StateConfig: z.ZodType<StateConfig> = strictObject(
  {
    type: z
      .literal('final', {
        error: 'the only state type is "final" (parallel and history states are not supported)',
      })
      .optional(),
    description: z.string().optional(),
    entry: ActionList.optional(),
    exit: ActionList.optional(),
    on: OnConfig.optional(),
    after: AfterConfig.optional(),
    initial: StateName.optional(),
    states: z.lazy(() => z.record(StateName, StateConfig)).optional(),
  },
  'a state',
);

export const MachineConfig = strictObject(
  {
    description: z.string().optional(),
    initial: StateName,
    states: z.record(StateName, StateConfig),
  },
  'machine',
);
export type MachineConfig = z.infer<typeof MachineConfig>;
