import { assertNever } from '@tactful/events';
import type { TactfulEvent } from '@tactful/events';
import type { PreferencesUpdate } from '@tactful/policy';
import { applyBounce, applyOptIn, applyOptOut, applyPreferences, applyStatusChange } from '@tactful/policy';
import type { CustomerState, Profile } from './customer-state';
import { applyEngagement } from './engagement';

/**
 * Pure. What the event tells us about the person, applied before anything is decided, so that the
 * halts, the steps and every send of this event already see it: who they are (forms), how they may be
 * contacted (opt-outs, bounces, preferences, status) and what they bought. Throws `event.invalid` for
 * data the policy refuses (which the event schemas already rule out).
 */
export function applyFacts(state: CustomerState, event: TactfulEvent): CustomerState {
  switch (event.type) {
    case 'form.submitted': {
      const { email, name, fields } = event.data;
      // Object.assign rather than a spread with added members: V8 builds the latter on a slow path, and
      // every first form of a customer adds `email` to a profile that had none.
      const profile: Profile = Object.assign({}, state.profile, {
        email,
        fields: Object.assign({}, state.profile.fields, fields),
      });
      if (name !== undefined) profile.name = name;
      return { ...state, profile };
    }
    case 'purchase.completed': {
      const at = new Date(event.time).toISOString();
      const known = new Set(state.purchases.map((p) => `${p.orderId}\u0000${p.sku}`));
      const added = event.data.items
        .map((item) => ({ sku: item.sku, orderId: event.data.orderId, at }))
        .filter((p) => !known.has(`${p.orderId}\u0000${p.sku}`));
      return { ...state, purchases: [...state.purchases, ...added] };
    }
    case 'email.sent':
      // The dispatcher delivered it: whoever decided it, this template has now reached the person.
      return state.templatesSent.includes(event.data.template)
        ? state
        : { ...state, templatesSent: [...state.templatesSent, event.data.template] };
    case 'email.bounced':
      return { ...state, contact: applyBounce(state.contact, event.data) };
    case 'contact.opted_out':
      return { ...state, contact: applyOptOut(state.contact, event.data.channel) };
    case 'contact.opted_in':
      return { ...state, contact: applyOptIn(state.contact, event.data.channel) };
    case 'contact.preferences_updated':
      return { ...state, contact: applyPreferences(state.contact, preferencesOf(event.data)) };
    case 'customer.status_changed':
      return { ...state, contact: applyStatusChange(state.contact, event.data.status) };
    case 'email.opened':
    case 'email.clicked':
    case 'email.replied':
      return applyEngagement(state, event);
    case 'page.viewed':
    case 'timer.fired':
      return state;
    default:
      return assertNever(event, 'event');
  }
}

function preferencesOf(data: {
  doNotContactUntil?: string;
  timezone?: string;
  topicsOptedOut?: string[];
}): PreferencesUpdate {
  // Only what the event names changes; the rest of the person's preferences stay as they were.
  return {
    ...(data.doNotContactUntil === undefined ? {} : { doNotContactUntil: data.doNotContactUntil }),
    ...(data.timezone === undefined ? {} : { timezone: data.timezone }),
    ...(data.topicsOptedOut === undefined ? {} : { topicsOptedOut: data.topicsOptedOut }),
  };
}
