import { DEFAULT_CHANNEL, EMPTY_CONTACT } from '@tactful/policy';
import { CustomerState, emptyCustomerState } from './customer-state';

// The state is stored once per customer and read back through `CustomerState.parse`, whose schema
// gives every field a default. A field at its default is therefore left out of the stored form: most
// people have no purchases, no history, no opt-outs and no deferred sends, and each of those would
// otherwise be stored for everyone (the record's size is the store's cost per person).

const EMPTY: Readonly<Record<string, unknown>> = emptyCustomerState('-');
const EMPTY_CONTACT_FIELDS: Readonly<Record<string, unknown>> = EMPTY_CONTACT;

/** Pure. Whether `value` reads back as `empty` once parsed: equal, an empty list, or an object of defaults. */
function isDefault(value: unknown, empty: unknown): boolean {
  if (value === empty) return true;
  if (Array.isArray(empty)) return empty.length === 0 && Array.isArray(value) && value.length === 0;
  if (empty === null || typeof empty !== 'object') return false;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const defaults = empty as Record<string, unknown>;
  return Object.entries(value).every(([key, field]) => key in defaults && isDefault(field, defaults[key]));
}

/** Pure. The fields of `fields` that are not at their default in `defaults` (unknown ones are kept). */
function withoutDefaults(
  fields: Readonly<Record<string, unknown>>,
  defaults: Readonly<Record<string, unknown>>,
  keep: (key: string) => boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (keep(key) || !(key in defaults) || !isDefault(value, defaults[key])) out[key] = value;
  }
  return out;
}

function compactContact(contact: CustomerState['contact']): Record<string, unknown> {
  const out = withoutDefaults(contact, EMPTY_CONTACT_FIELDS, () => false);
  if (Array.isArray(out.sends))
    out.sends = contact.sends.map(({ channel, ...send }) =>
      channel === DEFAULT_CHANNEL ? send : { ...send, channel },
    );
  return out;
}

/**
 * Pure. The state as it is stored: every field at its schema default left out, the default channel of
 * each send too. `CustomerState.parse` of the result equals `state`.
 */
export function compactState(state: CustomerState): Record<string, unknown> {
  const out = withoutDefaults(state, EMPTY, (key) => key === 'customerId' || key === 'contact');
  const contact = compactContact(state.contact);
  if (Object.keys(contact).length > 0) out.contact = contact;
  else delete out.contact;
  return out;
}

/** What a store holds of one customer: the stored state (null when there is none) and the ledger. */
export interface StoredCustomer {
  readonly customerId: string;
  readonly state: unknown;
  /** Every template ever sent to the person: what the commit protects (invariant 3). */
  readonly ledger: readonly string[];
}

/**
 * Pure. The state a stored customer is stepped and checked from: `CustomerState.parse` of the stored form
 * (every default put back; an empty state when nothing is stored), with the ledger merged into
 * `templatesSent`, sorted, so the state's copy never forgets a template the ledger holds. Throws the
 * schema's error for a stored state it refuses.
 */
export function stateOfStored(stored: StoredCustomer): CustomerState {
  const state =
    stored.state === null ? emptyCustomerState(stored.customerId) : CustomerState.parse(stored.state);
  return { ...state, templatesSent: [...new Set([...state.templatesSent, ...stored.ledger])].sort() };
}
