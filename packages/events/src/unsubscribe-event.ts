import { createHash } from 'node:crypto';
import type { TactfulEvent } from './tactful-event';
import type { UnsubscribeToken } from './unsubscribe-token';

/** What a person chose to do from an email (CONTRACT.md section 4, the link endpoints). */
export type UnsubscribeChoice =
  /** Leave the email's topic: `contact.preferences_updated` with it in `topicsOptedOut`. */
  | { readonly kind: 'topic' }
  /** Leave all email: `contact.opted_out` with `channel: email`. */
  | { readonly kind: 'all' }
  /** No message before `until` (a date, YYYY-MM-DD): `contact.preferences_updated` with `doNotContactUntil`. */
  | { readonly kind: 'pause'; readonly until: string };

/** Pure. What one click (RFC 8058) does: leave the email's topic when it has one, else all email. */
export function oneClickChoice(token: UnsubscribeToken): UnsubscribeChoice {
  return token.topic === undefined ? { kind: 'all' } : { kind: 'topic' };
}

export interface UnsubscribeEventInput {
  readonly token: UnsubscribeToken;
  /** The token as it was signed: the event id derives from it, so a repeat is one event. */
  readonly signed: string;
  readonly choice: UnsubscribeChoice;
  /**
   * The topics the person already left (from their state and the marks not yet applied): a
   * `topicsOptedOut` replaces the list, so the new one must keep them.
   */
  readonly topicsLeft: readonly string[];
  readonly at: Date;
  /** The CloudEvents `source`: who took the request (`tactful/gateway`, `tactful/dispatcher`). */
  readonly source: string;
}

/** Pure. The id of an opt-out: the same for the same token and choice, so consumers drop a repeat. */
export function unsubscribeEventId(signed: string, choice: UnsubscribeChoice): string {
  const parts = [signed, choice.kind, ...(choice.kind === 'pause' ? [choice.until] : [])];
  return `unsub-${createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32)}`;
}

/**
 * Pure. The event an unsubscribe publishes to `N.events`, keyed by the token's customer: leaving the
 * topic (`contact.preferences_updated`, the topic added to those already left; a token without a topic
 * leaves all email instead), leaving all email (`contact.opted_out`, `channel: email`), or pausing
 * (`contact.preferences_updated`, `doNotContactUntil`).
 */
export function unsubscribeEvent(input: UnsubscribeEventInput): TactfulEvent {
  const { token, choice } = input;
  const base = {
    specversion: '1.0' as const,
    id: unsubscribeEventId(input.signed, choice),
    source: input.source,
    subject: token.customerId,
    time: input.at.toISOString(),
    datacontenttype: 'application/json',
  };
  if (choice.kind === 'pause')
    return { ...base, type: 'contact.preferences_updated', data: { doNotContactUntil: choice.until } };
  if (choice.kind === 'all' || token.topic === undefined)
    return { ...base, type: 'contact.opted_out', data: { channel: 'email' } };
  const topics = new Set(input.topicsLeft.map((t) => t.trim().toLowerCase()));
  topics.add(token.topic.trim().toLowerCase());
  return {
    ...base,
    type: 'contact.preferences_updated',
    data: { topicsOptedOut: [...topics].filter((t) => t !== '').sort() },
  };
}
