// The events of the end-to-end bench (bench/engine.ts): every backlog event is a first contact-us form of
// a new customer, so each one decides exactly one send; the growth phase adds page views and opens.
import type { TactfulEvent } from '@tactful/events';

/** The `i`-th first contact-us form of a new customer of `phase`: one entry, one send. */
export function inquiry(i: number, phase: string): TactfulEvent {
  return {
    specversion: '1.0',
    id: `evt-${phase}-${i}`,
    source: 'bench/engine',
    type: 'form.submitted',
    subject: `${phase}-cust-${i}`,
    time: new Date().toISOString(),
    data: { formId: 'contact-us', email: `c${i}@example.com`, fields: { message: `question ${i}` } },
  } as TactfulEvent;
}

/** The `k`-th later event of growth customer `customer`: a page view or an open, in turn. */
export function follower(customer: number, k: number): TactfulEvent {
  const subject = `gr-cust-${customer}`;
  const base = { specversion: '1.0', source: 'bench/engine', subject, time: new Date().toISOString() };
  return (
    k % 2 === 0
      ? {
          ...base,
          id: `evt-gr-${customer}-${k}`,
          type: 'page.viewed',
          data: { url: `https://shop.example.com/p/${k}` },
        }
      : { ...base, id: `evt-gr-${customer}-${k}`, type: 'email.opened', data: { template: 'inquiry-answer' } }
  ) as TactfulEvent;
}
