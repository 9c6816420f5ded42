/** Event types every deployment understands (CONTRACT.md section 3). `timer.fired` is internal. */
export const PUBLIC_EVENT_TYPES = [
  'form.submitted',
  'page.viewed',
  'email.sent',
  'email.opened',
  'email.clicked',
  'email.replied',
  'email.bounced',
  'purchase.completed',
  'contact.opted_out',
  'contact.opted_in',
  'contact.preferences_updated',
  'customer.status_changed',
] as const;

export const INTERNAL_EVENT_TYPES = ['timer.fired'] as const;

export const EVENT_TYPES = [...PUBLIC_EVENT_TYPES, ...INTERNAL_EVENT_TYPES] as const;

export type PublicEventType = (typeof PUBLIC_EVENT_TYPES)[number];
export type EventType = (typeof EVENT_TYPES)[number];

const KNOWN: ReadonlySet<string> = new Set(EVENT_TYPES);
const INTERNAL: ReadonlySet<string> = new Set(INTERNAL_EVENT_TYPES);

/** Pure. Whether `type` is an event type of this version of Tactful (public or internal). */
export function isEventType(type: string): type is EventType {
  return KNOWN.has(type);
}

/** Pure. Whether `type` may only be written by Tactful itself (`timer.fired`). */
export function isInternalEventType(type: string): type is (typeof INTERNAL_EVENT_TYPES)[number] {
  return INTERNAL.has(type);
}
