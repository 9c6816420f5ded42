import { haltMarkCovers, type EmailSendCommand, type HaltMark } from '@tactful/events';
import { DEFAULT_CHANNEL, decide, type Policy } from '@tactful/policy';
import type { CustomerState } from './customer-state';
import { coveringFence } from './halt-fence';

/** Why a command is not sent at dispatch. `code` is the audit record's code. */
export interface Suppression {
  readonly code: string;
  readonly reason: string;
}

export interface LastMileInput {
  readonly command: EmailSendCommand;
  /** The customer's state as the orchestrator last committed it; null when the store has none. */
  readonly state: CustomerState | null;
  /** Halt marks whose events the orchestrator has not applied yet (stale marks already left out). */
  readonly halts: readonly HaltMark[];
  readonly policy: Policy;
  /** The journey is meant for people who are not customers yet (`audience.exclude: [customers]`). */
  readonly prospecting: boolean;
  /** Emails the dispatcher delivered to this person in the last rolling hour. */
  readonly deliveredLastHour: number;
  readonly now: Date;
}

/**
 * Pure. The last-mile check before a send: what happened since the orchestrator decided it. In order:
 * a halt the sentinel marked and the orchestrator has not applied yet (an opt-out stops everything, a
 * halting event its journeys, a topic left the sends of that topic); a halt the orchestrator applied after the command was decided (the
 * state's halt fences: whether the journey has since completed, been halted or entered again); the
 * journey halted (or ended by a purchase) after the command was made (states written before fences);
 * the contact policy's suppression rules on the customer's current contact view (opted out, hard bounce,
 * an existing customer for a prospecting journey, a topic opted out); and the blast guard, counted on
 * what the dispatcher itself delivered. Deferring rules (quiet hours, caps, gap) are the orchestrator's:
 * it applied them when it decided, and a command is never parked at dispatch (the dispatcher's README,
 * "Last-mile checks").
 * Returns null when the command may be sent.
 */
export function lastMileCheck(input: LastMileInput): Suppression | null {
  const { command, state, halts } = input;
  const optOut = halts.find((mark) => mark.optOut === true);
  if (optOut !== undefined)
    return {
      code: 'opted_out',
      reason: `at dispatch: opted out by ${optOut.type} ${optOut.eventId} (marked, not yet applied)`,
    };
  const mark = halts.find((m) => haltMarkCovers(m, command.journey, command.topic));
  if (mark !== undefined) {
    const how = `by ${mark.type} ${mark.eventId} (marked, not yet applied)`;
    // a mark that names other journeys covers this one only through the topic the person left
    const byTopic = mark.journeys !== undefined && !mark.journeys.includes(command.journey);
    return byTopic
      ? { code: 'topic_opted_out', reason: `at dispatch: topic ${command.topic ?? ''} left ${how}` }
      : { code: 'halted', reason: `at dispatch: ${command.journey} halted ${how}` };
  }
  const fenced = state === null ? undefined : coveringFence(state.haltFences, command);
  if (fenced !== undefined) {
    const { fence, all } = fenced;
    return {
      code: 'halted_after_decision',
      reason: `at dispatch: ${all ? 'every journey' : command.journey} halted by ${fence.type} ${fence.eventId}, applied at ${fence.at}, after the command was decided at ${command.createdAt}`,
    };
  }
  const exit = state?.history[command.journey];
  const createdAt = Date.parse(command.createdAt);
  if (
    exit !== undefined &&
    (exit.outcome === 'halted' || exit.blockedByPurchase === true) &&
    Date.parse(exit.lastExitAt) > createdAt
  )
    return {
      code: 'journey_halted',
      reason: `at dispatch: ${command.journey} was ${exit.blockedByPurchase === true ? 'ended by a purchase' : 'halted'} at ${exit.lastExitAt}, after the command was made at ${command.createdAt}`,
    };
  if (state !== null) {
    // only the suppression rules: the send history is the orchestrator's budget, already spent on this send
    const contact = { ...state.contact, sends: [] };
    const request = {
      journey: command.journey,
      template: command.template,
      prospecting: input.prospecting,
      channel: command.channel ?? DEFAULT_CHANNEL,
      ...(command.topic === undefined ? {} : { topic: command.topic }),
      ...(command.class === 'transactional' ? { transactional: true } : {}),
    };
    const decision = decide(input.policy, contact, request, input.now);
    if (decision.kind === 'suppress')
      return { code: decision.reason.code, reason: `at dispatch: ${decision.reason.text}` };
  }
  const limit = input.policy.blastGuard.maxPerHour;
  if (input.deliveredLastHour >= limit)
    return {
      code: 'blast_guard',
      reason: `at dispatch: ${input.deliveredLastHour} emails delivered in the last hour reach the blast guard of ${limit} per hour`,
    };
  return null;
}
