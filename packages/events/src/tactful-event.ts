import { z } from 'zod';
import { ContactOptedInData, ContactOptedOutData, ContactPreferencesUpdatedData } from './data/contact';
import { CustomerStatusChangedData } from './data/customer-status-changed';
import {
  EmailBouncedData,
  EmailClickedData,
  EmailOpenedData,
  EmailRepliedData,
  EmailSentData,
} from './data/email';
import { FormSubmittedData } from './data/form-submitted';
import { PageViewedData } from './data/page-viewed';
import { PurchaseCompletedData } from './data/purchase-completed';
import { TimerFiredData } from './data/timer-fired';
import { eventSchema } from './envelope';
import type { EventType } from './event-types';

// One schema per event type of CONTRACT.md section 3 (and the internal `timer.fired`): the envelope
// with that `type` and its `data`.

export const FormSubmittedEvent = eventSchema('form.submitted', FormSubmittedData);
export type FormSubmittedEvent = z.infer<typeof FormSubmittedEvent>;

export const PageViewedEvent = eventSchema('page.viewed', PageViewedData);
export type PageViewedEvent = z.infer<typeof PageViewedEvent>;

export const EmailSentEvent = eventSchema('email.sent', EmailSentData);
export type EmailSentEvent = z.infer<typeof EmailSentEvent>;

export const EmailOpenedEvent = eventSchema('email.opened', EmailOpenedData);
export type EmailOpenedEvent = z.infer<typeof EmailOpenedEvent>;

export const EmailClickedEvent = eventSchema('email.clicked', EmailClickedData);
export type EmailClickedEvent = z.infer<typeof EmailClickedEvent>;

export const EmailRepliedEvent = eventSchema('email.replied', EmailRepliedData);
export type EmailRepliedEvent = z.infer<typeof EmailRepliedEvent>;

export const EmailBouncedEvent = eventSchema('email.bounced', EmailBouncedData);
export type EmailBouncedEvent = z.infer<typeof EmailBouncedEvent>;

export const PurchaseCompletedEvent = eventSchema('purchase.completed', PurchaseCompletedData);
export type PurchaseCompletedEvent = z.infer<typeof PurchaseCompletedEvent>;

export const ContactOptedOutEvent = eventSchema('contact.opted_out', ContactOptedOutData);
export type ContactOptedOutEvent = z.infer<typeof ContactOptedOutEvent>;

export const ContactOptedInEvent = eventSchema('contact.opted_in', ContactOptedInData);
export type ContactOptedInEvent = z.infer<typeof ContactOptedInEvent>;

export const ContactPreferencesUpdatedEvent = eventSchema(
  'contact.preferences_updated',
  ContactPreferencesUpdatedData,
);
export type ContactPreferencesUpdatedEvent = z.infer<typeof ContactPreferencesUpdatedEvent>;

export const CustomerStatusChangedEvent = eventSchema('customer.status_changed', CustomerStatusChangedData);
export type CustomerStatusChangedEvent = z.infer<typeof CustomerStatusChangedEvent>;

export const TimerFiredEvent = eventSchema('timer.fired', TimerFiredData);
export type TimerFiredEvent = z.infer<typeof TimerFiredEvent>;

/** The schema of each event type, by type; `satisfies` keeps it in step with EVENT_TYPES. */
export const EVENT_SCHEMAS = {
  'form.submitted': FormSubmittedEvent,
  'page.viewed': PageViewedEvent,
  'email.sent': EmailSentEvent,
  'email.opened': EmailOpenedEvent,
  'email.clicked': EmailClickedEvent,
  'email.replied': EmailRepliedEvent,
  'email.bounced': EmailBouncedEvent,
  'purchase.completed': PurchaseCompletedEvent,
  'contact.opted_out': ContactOptedOutEvent,
  'contact.opted_in': ContactOptedInEvent,
  'contact.preferences_updated': ContactPreferencesUpdatedEvent,
  'customer.status_changed': CustomerStatusChangedEvent,
  'timer.fired': TimerFiredEvent,
} as const satisfies { [T in EventType]: z.ZodType<{ type: T }> };

/** Every event Tactful understands, discriminated by `type`, with typed `data`. */
export const TactfulEvent = z.discriminatedUnion('type', [
  FormSubmittedEvent,
  PageViewedEvent,
  EmailSentEvent,
  EmailOpenedEvent,
  EmailClickedEvent,
  EmailRepliedEvent,
  EmailBouncedEvent,
  PurchaseCompletedEvent,
  ContactOptedOutEvent,
  ContactOptedInEvent,
  ContactPreferencesUpdatedEvent,
  CustomerStatusChangedEvent,
  TimerFiredEvent,
]);
export type TactfulEvent = z.infer<typeof TactfulEvent>;

/** The event of one type: `EventOf<'form.submitted'>`. */
export type EventOf<T extends EventType> = Extract<TactfulEvent, { type: T }>;

/** The `data` of one type: `EventData<'email.bounced'>['hard']`. */
export type EventData<T extends EventType> = EventOf<T>['data'];
