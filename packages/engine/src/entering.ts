import type { TactfulEvent } from '@tactful/events';
import { parseIsoDuration } from '@tactful/events';
import { inHoldout, triggerMatches } from '@tactful/journeys';
import { isOptedOut, normalizeName } from '@tactful/policy';
import type { CatalogEntry } from './catalog';
import type { ActiveJourney } from './customer-state';
import { goalsOf, putJourney } from './draft';
import { sideOf } from './experiment';
import { applyJourneyActions } from './journey-actions';
import type { StepRun } from './step-run';
import { audit, inPass } from './step-run';

/** Why a journey whose trigger matched is not entered. */
interface Refusal {
  code: string;
  reason: string;
}

/**
 * Step 4: enters, on their highest version, the journeys whose trigger the event matches, unless a rule
 * keeps the person out (each refusal has an audit record). A journey's entry actions run at once (its
 * first move); the trigger event is not given to its machine a second time.
 */
export function enterJourneys(run: StepRun): void {
  const { event } = run;
  if (event.type === 'timer.fired') return;
  for (const entry of run.ctx.catalog.latest) {
    if (!inPass(run, entry.journey.class) || !triggerMatches(entry.journey.trigger, event)) continue;
    const refusal = refusalOf(run, entry);
    if (refusal === undefined) {
      enter(run, entry, event);
    } else {
      audit(run, 'suppressed', {
        journey: entry.journey.id,
        journeyVersion: entry.journey.version,
        code: refusal.code,
        reason: `not entered: ${refusal.reason}`,
      });
    }
  }
}

function refusalOf(run: StepRun, entry: CatalogEntry): Refusal | undefined {
  const { state } = run;
  const { journey } = entry;
  const active = state.active[journey.id];
  if (run.blasted) return { code: 'blast_guard', reason: 'the blast guard halted this customer' };
  if (active !== undefined) {
    return {
      code: 'already_active',
      reason: `already in the journey (version ${active.version}, since ${active.enteredAt})`,
    };
  }
  if (run.exited.has(journey.id)) return { code: 'exited_now', reason: 'this event just ended the journey' };
  if (entry.channels.length > 0 && entry.channels.every((channel) => isOptedOut(state.contact, channel))) {
    return { code: 'opted_out', reason: `opted out of ${entry.channels.join(', ')}` };
  }
  if (state.contact.hardBounced && entry.channels.length > 0 && entry.channels.every((c) => c === 'email')) {
    return { code: 'hard_bounced', reason: 'the email address hard-bounced' };
  }
  const bought = state.purchases.find((purchase) => journey.products?.includes(purchase.sku));
  if (bought !== undefined || state.history[journey.id]?.blockedByPurchase === true) {
    const what = bought === undefined ? 'one of its products' : `${bought.sku} (order ${bought.orderId})`;
    return { code: 'purchased', reason: `the person already bought ${what}` };
  }
  if (entry.prospecting && state.contact.status === 'customer') {
    return { code: 'existing_customer', reason: 'the journey excludes customers and the person is one' };
  }
  const topic = journey.topic === undefined ? undefined : normalizeName(journey.topic);
  if (topic !== undefined && state.contact.topicsOptedOut.includes(topic)) {
    return { code: 'topic_opted_out', reason: `the person left the topic ${topic}` };
  }
  return reentryRefusal(run, entry);
}

function reentryRefusal(run: StepRun, entry: CatalogEntry): Refusal | undefined {
  const { reentry, id } = entry.journey;
  const last = run.state.history[id];
  if (last === undefined || reentry === 'always') return undefined;
  if (reentry === 'never') {
    return { code: 'reentry_never', reason: `left it at ${last.lastExitAt} and reentry is never` };
  }
  const wait = parseIsoDuration(reentry);
  // The journey schema refused any other reentry; a catalog built around it would be a bug.
  const ms = 'ms' in wait ? wait.ms : Number.POSITIVE_INFINITY;
  const opensAt = Date.parse(last.lastExitAt) + ms;
  if (run.now.getTime() >= opensAt) return undefined;
  return {
    code: 'reentry_window',
    reason: `left it at ${last.lastExitAt}; reentry ${reentry} allows it again from ${new Date(opensAt).toISOString()}`,
  };
}

function enter(
  run: StepRun,
  entry: CatalogEntry,
  event: Exclude<TactfulEvent, { type: 'timer.fired' }>,
): void {
  const { state } = run;
  const { journey } = entry;
  state.seq += 1;
  const first = entry.steps.start();
  const data = { ...(event.data as Record<string, unknown>) };
  const heldOut = journey.holdout !== undefined && inHoldout(journey.holdout, journey.id, state.customerId);
  const instance: ActiveJourney = {
    journey: journey.id,
    version: journey.version,
    entry: state.seq,
    enteredAt: run.at,
    stage: first.stage,
    timers: {},
    trigger: { eventId: event.id, type: event.type, data },
    ...(heldOut ? { holdout: true as const } : {}),
  };
  putJourney(run, instance);
  if (journey.goal !== undefined) watchGoal(run, instance, journey.goal.within);
  audit(run, 'entered', {
    journey: journey.id,
    journeyVersion: journey.version,
    ...sideOf(instance),
    code: 'trigger_matched',
    reason: heldOut
      ? `${event.type} matched the journey's trigger; in its ${journey.holdout}% holdout: tracked, sent nothing`
      : `${event.type} matched the journey's trigger`,
  });
  applyJourneyActions(run, instance, entry, first.actions, { ...data });
}

/** Starts waiting for the journey's goal, `within` after entering; a new entry replaces an older watch. */
function watchGoal(run: StepRun, instance: ActiveJourney, within: string): void {
  const window = parseIsoDuration(within);
  // The journey schema refused any other window; a catalog built around it would be a bug.
  const ms = 'ms' in window ? window.ms : 0;
  goalsOf(run)[instance.journey] = {
    version: instance.version,
    entry: instance.entry,
    until: new Date(run.now.getTime() + ms).toISOString(),
  };
}
