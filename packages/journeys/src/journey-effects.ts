import { TactfulError } from '@tactful/events';
import type { Channel } from './action-config';
import { CHANNELS } from './action-config';

/**
 * What one step of a journey asks the world to do, read from the actions that XState's pure
 * `transition()` / `initialTransition()` return (they are never executed):
 * - `send`: the `send` action, with the state that sent it (`stage`);
 * - `schedule`: an `after` wait that started: an `xstate.raise` action with a `delay`; when it is due,
 *   `event` is to be given back to `transition()`; a later `schedule` with the same `id` replaces it;
 * - `cancel`: a wait that ended because its state was left: an `xstate.cancel` action.
 */
export type JourneyEffect =
  | { type: 'send'; template: string; channel: Channel; stage: string }
  | { type: 'schedule'; id: string; delay: number; event: { type: string } }
  | { type: 'cancel'; id: string };

/**
 * The params of a `send` as the compiled machine holds them: the file's params, whatever they are,
 * plus `stage` (the dotted path of the state whose `entry` or `exit` holds it). Read-only and passed on
 * untouched, so a param added to journey files reaches the engine without a change here.
 */
export interface SendActionParams {
  readonly template: string;
  readonly channel: Channel;
  readonly stage: string;
  readonly [param: string]: unknown;
}

/** The same as `JourneyEffect`, with a send's params kept whole: what the engine carries out. */
export type JourneyAction =
  { readonly type: 'send'; readonly params: SendActionParams } | Exclude<JourneyEffect, { type: 'send' }>;

/** The part of an XState action this package reads. */
export interface ActionLike {
  type: string;
  params?: unknown;
}

/** Pure. The effects of one step, in the order XState listed them (a cancel may precede a new schedule). */
export function effectsOf(actions: readonly ActionLike[]): JourneyEffect[] {
  return actionsOf(actions).map((action) =>
    action.type === 'send'
      ? {
          type: 'send',
          template: action.params.template,
          channel: action.params.channel,
          stage: action.params.stage,
        }
      : action,
  );
}

/** Pure. `effectsOf`, with every param of a send kept (a copy, frozen: compiled journeys share it). */
export function actionsOf(actions: readonly ActionLike[]): JourneyAction[] {
  const read: JourneyAction[] = [];
  for (const action of actions) {
    const params = (action.params ?? {}) as Record<string, unknown>;
    switch (action.type) {
      case 'send': {
        const { template, channel, stage } = params;
        if (typeof template !== 'string' || !isChannel(channel) || typeof stage !== 'string') {
          throw unexpected(action);
        }
        read.push({ type: 'send', params: Object.freeze({ ...params, template, channel, stage }) });
        break;
      }
      case 'xstate.raise': {
        const { id, delay, event } = params;
        // A raise without a delay was already handled inside the same transition() call.
        if (delay === undefined) break;
        if (typeof id !== 'string' || typeof delay !== 'number' || !isEvent(event)) throw unexpected(action);
        read.push({ type: 'schedule', id, delay, event: { type: event.type } });
        break;
      }
      case 'xstate.cancel': {
        const { sendId } = params;
        if (typeof sendId !== 'string') throw unexpected(action);
        read.push({ type: 'cancel', id: sendId });
        break;
      }
      default:
        // Journeys can only produce the actions above; anything else means XState changed under us.
        throw unexpected(action);
    }
  }
  return read;
}

function isChannel(value: unknown): value is Channel {
  return (CHANNELS as readonly unknown[]).includes(value);
}

function isEvent(value: unknown): value is { type: string } {
  return typeof value === 'object' && value !== null && 'type' in value && typeof value.type === 'string';
}

function unexpected(action: ActionLike): TactfulError {
  return new TactfulError(
    'internal',
    `unexpected journey action ${action.type}: ${JSON.stringify(action.params)}`,
  );
}
