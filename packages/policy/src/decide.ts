/**
 * The contact policy applied to one send request. Rules in order of precedence:
 *   1. suppress: opted out, hard bounce, prospecting an existing customer, topic opted out;
 *   2. suppress and alert: the blast guard;
 *   3. defer: do-not-contact-until, max per day, max per week, min gap, quiet hours,
 * where a deferral moves to the earliest instant at which every deferring rule allows the send. A
 * transactional request (an answer to what the person asked) is never deferred: 1 and 2 only.
 */
import { parseIsoDuration, TactfulError } from '@tactful/events';
import { isOptedOut, normalizeName } from './contact-view';
import type { ContactView } from './contact-view';
import type { Decision, DeferCode, Reason, SendRequest, SuppressCode } from './decision';
import { resumeInstant } from './do-not-contact';
import type { Policy } from './policy';
import { endOfQuiet } from './quiet-hours';
import { DAY_MS, HOUR_MS, WEEK_MS, countInWindow, sendTimes, windowOpensAt } from './windows';

/** Holds a send back until `until` (> the instant asked about), or lets it through (null). */
type DeferRule = (t: number) => { until: number; reason: Reason<DeferCode> } | null;

// Every deferring rule but quiet hours only ever allows more as time passes, so after quiet hours
// moved the instant once more, a second round finds nothing to move; more rounds would be a bug.
const MAX_ROUNDS = 4;

const iso = (ms: number): string => new Date(ms).toISOString();

/** Pure. Whether `request` may be sent to this customer at `now`, and if not, until when or why not. */
export function decide(policy: Policy, contact: ContactView, request: SendRequest, now: Date): Decision {
  const suppressed = suppression(contact, request);
  if (suppressed) return { kind: 'suppress', reason: suppressed };

  const at = now.getTime();
  const times = sendTimes(contact);
  const lastHour = countInWindow(times, at, HOUR_MS);
  if (lastHour >= policy.blastGuard.maxPerHour) {
    return {
      kind: 'suppress',
      reason: {
        code: 'blast_guard',
        text: `${lastHour} messages in the last hour reach the blast guard of ${policy.blastGuard.maxPerHour} per hour`,
      },
      alert: 'blast_guard',
    };
  }

  // the person is waiting for this answer: it is not held for the budget, the hour or a pause they asked
  // for; it still counts in the history, so marketing after it is held back by the caps
  if (request.transactional === true) return { kind: 'send' };

  const rules = deferRules(policy, contact, times);
  const steps: Reason<DeferCode>[] = [];
  let t = at;
  for (let round = 0, moved = true; moved; round++) {
    if (round === MAX_ROUNDS) {
      throw new TactfulError('internal', `policy did not settle: ${JSON.stringify(steps)}`);
    }
    moved = false;
    for (const rule of rules) {
      const hold = rule(t);
      if (hold === null) continue;
      if (!(hold.until > t)) throw new TactfulError('internal', `${hold.reason.code} deferred to the past`);
      t = hold.until;
      steps.push(hold.reason);
      moved = true;
    }
  }

  const [first] = steps;
  if (first === undefined) return { kind: 'send' };
  return {
    kind: 'defer',
    until: iso(t),
    reason: { code: first.code, text: steps.map((s) => s.text).join('; then ') },
  };
}

function suppression(contact: ContactView, request: SendRequest): Reason<SuppressCode> | null {
  const channel = normalizeName(request.channel);
  if (isOptedOut(contact, channel)) {
    const all = !contact.optedOut.includes(channel);
    return { code: 'opted_out', text: all ? 'opted out of all channels' : `opted out of ${channel}` };
  }
  // A bounce is a fact about the email address; other channels reach the person some other way.
  if (contact.hardBounced && channel === 'email') {
    return { code: 'hard_bounced', text: 'the email address hard-bounced' };
  }
  if (request.prospecting && contact.status === 'customer') {
    return {
      code: 'existing_customer',
      text: `prospecting journey ${request.journey} is not sent to an existing customer`,
    };
  }
  if (request.topic !== undefined && contact.topicsOptedOut.includes(normalizeName(request.topic))) {
    return { code: 'topic_opted_out', text: `opted out of topic ${normalizeName(request.topic)}` };
  }
  return null;
}

function deferRules(policy: Policy, contact: ContactView, times: readonly number[]): DeferRule[] {
  const { maxPerDay, maxPerWeek, minGap } = policy.frequency;
  const gap = gapOf(minGap);
  const { start, end } = policy.quietHours;
  const timeZone = contact.timezone ?? policy.quietHours.defaultTimezone;
  const rules: DeferRule[] = [];

  if (contact.doNotContactUntil !== null) {
    const resume = resumeInstant(contact.doNotContactUntil, timeZone);
    const text = `asked not to be contacted until ${contact.doNotContactUntil} (${timeZone})`;
    rules.push((t) =>
      t < resume ? { until: resume, reason: { code: 'do_not_contact_until', text } } : null,
    );
  }
  rules.push(cap(times, DAY_MS, maxPerDay, 'max_per_day', `at most ${maxPerDay} per rolling 24 h`));
  rules.push(cap(times, WEEK_MS, maxPerWeek, 'max_per_week', `at most ${maxPerWeek} per rolling 7 days`));
  const last = times.at(-1);
  if (last !== undefined && gap.ms > 0) {
    const text = `min gap ${minGap} after the send at ${iso(last)}`;
    rules.push((t) =>
      t < last + gap.ms ? { until: last + gap.ms, reason: { code: 'min_gap', text } } : null,
    );
  }
  const text = `quiet hours ${start}–${end} ${timeZone}`;
  rules.push((t) => {
    const until = endOfQuiet(t, { start, end }, timeZone);
    return until === t ? null : { until, reason: { code: 'quiet_hours', text } };
  });
  return rules;
}

// A policy has one minGap, decided on for every send; parsing it each time was a regular expression per
// send. Keyed by the text, so the memo can only ever give what parsing gives.
const gaps = new Map<string, { ms: number }>();

function gapOf(minGap: string): { ms: number } {
  let gap = gaps.get(minGap);
  if (gap === undefined) {
    const parsed = parseIsoDuration(minGap);
    if ('error' in parsed) throw new TactfulError('policy.invalid', `frequency.minGap: ${parsed.error}`);
    gap = parsed;
    gaps.set(minGap, gap);
  }
  return gap;
}

function cap(
  times: readonly number[],
  windowMs: number,
  max: number,
  code: DeferCode,
  text: string,
): DeferRule {
  return (t) => {
    const until = windowOpensAt(times, t, windowMs, max);
    return until === t ? null : { until, reason: { code, text } };
  };
}
