import type { TactfulEvent } from '@tactful/events';
import type { Journey } from '@tactful/journeys';
import { DEFAULT_CHANNEL, normalizeName } from '@tactful/policy';
import { journeyVersion } from './catalog';
import type { Exit } from './exit-journey';
import { dropDeferred, exitJourney } from './exit-journey';
import type { StepRun } from './step-run';
import { sortedKeys } from './step-run';

/**
 * Pure. Whether `event` ends a journey (of definition `journey`, sending on `channels`), and how, in
 * order of precedence:
 * - an opt-out halts every journey, whatever its `haltOn` says;
 * - a hard bounce halts every journey that sends email;
 * - leaving its topic (`contact.preferences_updated` whose `topicsOptedOut` names the journey's `topic`)
 *   halts it;
 * - a purchase of one of its `products` reaches its goal: it completes and is never entered again;
 * - becoming a customer halts a journey that excludes customers;
 * - an event listed in its `haltOn` halts it.
 * `journey` is undefined when the catalog lost the version: only the rules for every journey apply.
 */
export function exitFor(
  event: TactfulEvent,
  journey: Journey | undefined,
  channels: readonly string[],
): Exit | undefined {
  if (event.type === 'contact.opted_out') {
    const channel = event.data.channel ?? 'all';
    return { outcome: 'halted', code: 'opted_out', reason: `the person opted out (${channel})` };
  }
  if (event.type === 'email.bounced' && event.data.hard && channels.includes('email')) {
    return { outcome: 'halted', code: 'hard_bounced', reason: 'the email address hard-bounced' };
  }
  if (journey === undefined) return undefined;
  if (event.type === 'contact.preferences_updated' && journey.topic !== undefined) {
    const key = normalizeName(journey.topic);
    if ((event.data.topicsOptedOut ?? []).some((topic) => normalizeName(topic) === key))
      return { outcome: 'halted', code: 'topic_opted_out', reason: `the person left the topic ${key}` };
  }
  if (event.type === 'purchase.completed') {
    const bought = event.data.items.map((item) => item.sku).find((sku) => journey.products?.includes(sku));
    if (bought !== undefined) {
      return {
        outcome: 'completed',
        code: 'purchased',
        reason: `the person bought ${bought} (order ${event.data.orderId}), the journey's goal`,
        blockedByPurchase: true,
      };
    }
  }
  if (
    event.type === 'customer.status_changed' &&
    event.data.status === 'customer' &&
    (journey.audience?.exclude?.includes('customers') ?? false)
  ) {
    return {
      outcome: 'halted',
      code: 'existing_customer',
      reason: 'the person became a customer and the journey excludes customers',
    };
  }
  if ((journey.haltOn as readonly string[]).includes(event.type)) {
    return { outcome: 'halted', code: 'halt_on', reason: `${event.type} is in the journey's haltOn` };
  }
  return undefined;
}

/**
 * Step 2: ends every active journey the event halts (cancelling its waits), and drops the deferred
 * sends of every journey the event halts, including journeys already finished: nothing of a journey is
 * sent after a halting event for it was accepted (invariant 4).
 */
export function applyHalts(run: StepRun): void {
  const { catalog } = run.ctx;
  for (const journeyId of sortedKeys(run.state.active)) {
    const instance = run.state.active[journeyId];
    if (instance === undefined) continue;
    const entry = journeyVersion(catalog, journeyId, instance.version);
    // A version the catalog lost is assumed to send email, so that a bounce still stops it.
    const exit = exitFor(run.event, entry?.journey, entry?.channels ?? [DEFAULT_CHANNEL]);
    if (exit !== undefined) exitJourney(run, journeyId, exit);
  }
  for (const timerId of sortedKeys(run.state.deferred)) {
    const deferred = run.state.deferred[timerId];
    if (deferred === undefined) continue;
    const entry = journeyVersion(catalog, deferred.journey, deferred.journeyVersion);
    const exit = exitFor(run.event, entry?.journey, [deferred.channel]);
    if (exit !== undefined) dropDeferred(run, timerId, exit.code, exit.reason);
  }
}
