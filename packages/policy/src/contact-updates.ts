/**
 * How events change a contact view: a send, an opt-out or opt-in, a bounce, a status change, new
 * preferences. Each returns a new view and leaves its input alone; invalid data throws `event.invalid`.
 */
import { TactfulError } from '@tactful/events';
import {
  ALL_CHANNELS,
  CustomerStatus,
  DEFAULT_CHANNEL,
  SEND_HISTORY_LIMIT,
  SEND_HISTORY_WINDOW_MS,
  normalizeName,
} from './contact-view';
import type { SendRecord, ContactView } from './contact-view';
import { DoNotContactUntil } from './do-not-contact';
import { TimeZoneName } from './field-schemas';
import type { SendRequest } from './decision';

/** What is recorded of a send: the request the policy allowed (channel defaults to email). */
export type SentMessage = Pick<SendRequest, 'journey' | 'template'> & { channel?: string };

/** `contact.preferences_updated` data as far as the policy reads it; `null` clears a field. */
export type PreferencesUpdate = {
  doNotContactUntil?: string | null;
  timezone?: string | null;
  topicsOptedOut?: readonly string[];
};

const uniq = (names: readonly string[]): string[] => [...new Set(names)];

/**
 * Pure. Drops sends older than the longest window, except the latest (minGap may reach further back).
 * Callers pass a `now` that does not go backwards for one customer: what was pruned cannot come back.
 */
export function pruneSends(contact: ContactView, now: Date): ContactView {
  const cutoff = now.getTime() - SEND_HISTORY_WINDOW_MS;
  // Runs for every send: each time is parsed once, and a history that is in order, recent and short
  // (the usual case) is returned as it is.
  const { sends } = contact;
  const times = sends.map((s) => Date.parse(s.at));
  const ordered = times.every((t, i) => i === 0 || t >= (times[i - 1] as number));
  if (ordered && sends.length <= SEND_HISTORY_LIMIT && times.every((t) => t > cutoff)) return contact;
  const order = sends.map((_, i) => i);
  if (!ordered) order.sort((a, b) => (times[a] as number) - (times[b] as number));
  const sorted = order.map((i) => sends[i] as SendRecord);
  const recent = sorted.filter((_, k) => (times[order[k] as number] as number) > cutoff);
  const latest = sorted.at(-1);
  const kept = recent.length === 0 && latest ? [latest] : recent;
  return { ...contact, sends: kept.slice(-SEND_HISTORY_LIMIT) };
}

/** Pure. The view after a message was sent at `now`; recording the same send twice changes nothing. */
export function recordSend(contact: ContactView, sent: SentMessage, now: Date): ContactView {
  const record: SendRecord = {
    at: now.toISOString(),
    journey: sent.journey,
    template: sent.template,
    channel: normalizeName(sent.channel ?? DEFAULT_CHANNEL),
  };
  const known = contact.sends.some(
    (s) =>
      s.at === record.at &&
      s.journey === record.journey &&
      s.template === record.template &&
      s.channel === record.channel,
  );
  return pruneSends(known ? contact : { ...contact, sends: [...contact.sends, record] }, now);
}

function channelOf(channel: string | undefined): string {
  if (channel === undefined) return ALL_CHANNELS;
  const key = normalizeName(channel);
  if (key === '') throw new TactfulError('event.invalid', 'channel must not be empty');
  return key;
}

/** Pure. `contact.opted_out`: `channel` defaults to `all`, which also cancels earlier opt-ins. */
export function applyOptOut(contact: ContactView, channel?: string): ContactView {
  const key = channelOf(channel);
  if (key === ALL_CHANNELS) {
    return { ...contact, optedOut: uniq([...contact.optedOut, ALL_CHANNELS]), optedBackIn: [] };
  }
  return {
    ...contact,
    optedOut: uniq([...contact.optedOut, key]),
    optedBackIn: contact.optedBackIn.filter((c) => c !== key),
  };
}

/** Pure. `contact.opted_in`: without a channel (or `all`) every opt-out is lifted; else only that channel's. */
export function applyOptIn(contact: ContactView, channel?: string): ContactView {
  const key = channelOf(channel);
  if (key === ALL_CHANNELS) return { ...contact, optedOut: [], optedBackIn: [] };
  const optedOut = contact.optedOut.filter((c) => c !== key);
  // An opt-out of `all` stays for every other channel, including ones added later.
  const optedBackIn = optedOut.includes(ALL_CHANNELS)
    ? uniq([...contact.optedBackIn, key])
    : contact.optedBackIn;
  return { ...contact, optedOut, optedBackIn };
}

/** Pure. `email.bounced`: a hard bounce suppresses email for good; a soft one changes nothing. */
export function applyBounce(contact: ContactView, bounce: { hard: boolean }): ContactView {
  return bounce.hard ? { ...contact, hardBounced: true } : contact;
}

/** Pure. `customer.status_changed`. */
export function applyStatusChange(contact: ContactView, status: string): ContactView {
  const parsed = CustomerStatus.safeParse(status);
  if (!parsed.success) {
    throw new TactfulError(
      'event.invalid',
      `status ${JSON.stringify(status)} is not one of ${CustomerStatus.options.join(', ')}`,
    );
  }
  return { ...contact, status: parsed.data };
}

/**
 * Pure. `contact.preferences_updated`: fields left out stay as they were, `null` clears one, and a
 * topic list replaces the previous one (it states the customer's current wishes). Every invalid field
 * is reported at once.
 */
export function applyPreferences(contact: ContactView, update: PreferencesUpdate): ContactView {
  const problems: string[] = [];
  const next = { ...contact };
  if (update.doNotContactUntil !== undefined) {
    const parsed = DoNotContactUntil.nullable().safeParse(update.doNotContactUntil);
    if (parsed.success) next.doNotContactUntil = parsed.data;
    else problems.push(`doNotContactUntil: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  if (update.timezone !== undefined) {
    const parsed = TimeZoneName.nullable().safeParse(update.timezone);
    if (parsed.success) next.timezone = parsed.data;
    else problems.push(`timezone: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  if (update.topicsOptedOut !== undefined) {
    next.topicsOptedOut = uniq(update.topicsOptedOut.map(normalizeName).filter((t) => t !== ''));
  }
  if (problems.length > 0) {
    throw new TactfulError('event.invalid', `invalid preferences: ${problems.join('; ')}`);
  }
  return next;
}
