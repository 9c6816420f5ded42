import type { EventType } from '@tactful/events';
import { describe, expect, it } from 'vitest';
import { emptyCustomerState } from './customer-state';
import type { CustomerState } from './customer-state';
import { applyFacts } from './facts';
import { CUSTOMER, T0, makeEvent } from './test-kit';

const apply = (state: CustomerState, type: EventType, data: Record<string, unknown>, time = T0) =>
  applyFacts(state, makeEvent(type, data, { id: 'evt-1', time }));

describe('applyFacts', () => {
  const empty = emptyCustomerState(CUSTOMER);

  it('keeps the latest of every form field, the address and the name', () => {
    const first = apply(empty, 'form.submitted', {
      formId: 'a',
      email: 'ann@example.com',
      name: 'Ann',
      fields: { topic: 'pricing', company: 'Acme' },
    });
    const second = apply(first, 'form.submitted', {
      formId: 'b',
      email: 'ann@acme.example',
      fields: { topic: 'support' },
    });
    expect(second.profile).toEqual({
      email: 'ann@acme.example',
      name: 'Ann',
      fields: { topic: 'support', company: 'Acme' },
    });
  });

  it('records every line of an order once, at the time it happened', () => {
    const data = { orderId: 'o-1', items: [{ sku: 'sku-a' }, { sku: 'sku-b' }] };
    const time = new Date('2026-11-23T10:00:00+01:00');
    const once = apply(empty, 'purchase.completed', data, time);
    expect(apply(once, 'purchase.completed', data, time).purchases).toEqual([
      { sku: 'sku-a', orderId: 'o-1', at: '2026-11-23T09:00:00.000Z' },
      { sku: 'sku-b', orderId: 'o-1', at: '2026-11-23T09:00:00.000Z' },
    ]);
  });

  it.each<[EventType, Record<string, unknown>, Partial<CustomerState['contact']>]>([
    ['contact.opted_out', {}, { optedOut: ['all'] }],
    ['contact.opted_out', { channel: 'email' }, { optedOut: ['email'] }],
    ['email.bounced', { hard: true }, { hardBounced: true }],
    ['email.bounced', { hard: false }, { hardBounced: false }],
    ['customer.status_changed', { status: 'customer' }, { status: 'customer' }],
    [
      'contact.preferences_updated',
      { doNotContactUntil: '2027-01-01', timezone: 'Europe/Oslo', topicsOptedOut: ['Trade-ins'] },
      { doNotContactUntil: '2027-01-01', timezone: 'Europe/Oslo', topicsOptedOut: ['trade-ins'] },
    ],
  ])('%s %j updates the contact view', (type, data, expected) => {
    expect(apply(empty, type, data).contact).toMatchObject(expected);
  });

  it('lifts an opt-out on an opt-in, and leaves preferences the event does not name', () => {
    const out = apply(empty, 'contact.opted_out', {});
    expect(apply(out, 'contact.opted_in', {}).contact.optedOut).toEqual([]);
    const prefs = apply(empty, 'contact.preferences_updated', { timezone: 'Asia/Kolkata' });
    const later = apply(prefs, 'contact.preferences_updated', { note: 'call me later' });
    expect(later.contact.timezone).toBe('Asia/Kolkata');
  });

  it.each<[EventType, Record<string, unknown>]>([
    ['page.viewed', { url: 'https://x.example/' }],
    ['email.opened', {}],
    ['email.clicked', {}],
    ['email.replied', { text: 'hello' }],
  ])('%s tells nothing about the person', (type, data) => {
    expect(apply(empty, type, data)).toBe(empty);
  });
});
