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
