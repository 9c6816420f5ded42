import type { TactfulEvent } from '@tactful/events';

/** The event that puts a person of a scenario into the two-stage journey. */
export function formSubmitted(namespace: string, customer: string): TactfulEvent {
  return {
    specversion: '1.0',
    id: `form-${namespace}-${customer}`,
    source: 'faults/web-forms',
    type: 'form.submitted',
    subject: customer,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data: { formId: 'whitepaper-2026', email: `${customer}@example.com`, name: customer },
  };
}
