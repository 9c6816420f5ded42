import { describe, expect, it } from 'vitest';
import { haltMarkFor } from './halt-mark-for';
import { haltingTypes } from './halting-types';
import { CATALOG, eventOf } from './test-kit';

const AT = Date.parse('2026-11-23T10:00:00Z');

describe('haltMarkFor', () => {
  it.each([{}, { channel: 'email' }, { channel: 'all' }])(
    'an opt-out (%o) forbids everything, whatever the journeys say',
    (data) => {
      const event = eventOf('contact.opted_out', 'cust-1', data);
      expect(haltMarkFor(event, CATALOG)).toEqual({
        eventId: event.id,
        type: 'contact.opted_out',
        at: AT,
        optOut: true,
      });
      expect(haltMarkFor(event, undefined)).toMatchObject({ optOut: true });
    },
  );

  it('a hard bounce halts every journey; a soft bounce halts nothing', () => {
    const hard = eventOf('email.bounced', 'cust-1', { hard: true });
    expect(haltMarkFor(hard, CATALOG)).toEqual({ eventId: hard.id, type: 'email.bounced', at: AT });
    expect(haltMarkFor(eventOf('email.bounced', 'cust-1', { hard: false }), CATALOG)).toBeUndefined();
  });

  it('a reply halts the journeys whose haltOn lists it, in any version, by journey id', () => {
    const reply = eventOf('email.replied', 'cust-1', { text: 'no thanks' });
    expect(haltMarkFor(reply, CATALOG)).toEqual({
      eventId: reply.id,
      type: 'email.replied',
      at: AT,
      journeys: ['nurture', 'onboarding'],
    });
  });

  it('a purchase halts the journeys that list it and ends those whose products it bought', () => {
    const buy = (sku: string) =>
      eventOf('purchase.completed', 'cust-1', { orderId: 'o-1', items: [{ sku }] });
    expect(haltMarkFor(buy('sku-other'), CATALOG)?.journeys).toEqual(['nurture']);
    expect(haltMarkFor(buy('trip-lisbon'), CATALOG)?.journeys).toEqual(['nurture', 'trip']);
  });

  it('any type a journey lists in haltOn halts it, even in an older version only', () => {
    expect(haltMarkFor(eventOf('email.clicked', 'cust-1'), CATALOG)?.journeys).toEqual(['onboarding']);
  });

  it('becoming a customer halts the journeys that exclude customers', () => {
    const became = (status: string) => eventOf('customer.status_changed', 'cust-1', { status });
    expect(haltMarkFor(became('customer'), CATALOG)?.journeys).toEqual(['prospects']);
    expect(haltMarkFor(became('prospect'), CATALOG)).toBeUndefined();
  });

  it('an event that ends no journey makes no mark', () => {
    expect(haltMarkFor(eventOf('page.viewed', 'cust-1'), CATALOG)).toBeUndefined();
    expect(haltMarkFor(eventOf('email.opened', 'cust-1'), CATALOG)).toBeUndefined();
  });

  it('without a catalog, a reply or a purchase halts every journey, other types nothing', () => {
    const reply = eventOf('email.replied', 'cust-1');
    expect(haltMarkFor(reply, undefined)).toEqual({ eventId: reply.id, type: 'email.replied', at: AT });
    expect(haltMarkFor(eventOf('purchase.completed', 'cust-1'), undefined)?.journeys).toBeUndefined();
    expect(haltMarkFor(eventOf('purchase.completed', 'cust-1'), undefined)).toBeDefined();
    expect(haltMarkFor(eventOf('email.clicked', 'cust-1'), undefined)).toBeUndefined();
  });

  it('the mark is dated by the event, never before the epoch', () => {
    const early = eventOf('contact.opted_out', 'cust-1', {}, '1969-12-31T23:00:00-02:00');
    expect(haltMarkFor(early, CATALOG)?.at).toBe(Date.parse('1969-12-31T23:00:00-02:00'));
    const ancient = eventOf('contact.opted_out', 'cust-1', {}, '1900-01-01T00:00:00Z');
    expect(haltMarkFor(ancient, CATALOG)?.at).toBe(0);
  });
});

describe('haltMarkFor, topics', () => {
  it('leaving a topic halts the journeys of that topic and marks the topic for sends anywhere', () => {
    const left = eventOf('contact.preferences_updated', 'cust-1', {
      topicsOptedOut: ['Newsletter', 'offers'],
    });
    expect(haltMarkFor(left, CATALOG)).toEqual({
      eventId: left.id,
      type: 'contact.preferences_updated',
      at: AT,
      journeys: ['letter'],
      topics: ['newsletter', 'offers'],
    });
    const other = eventOf('contact.preferences_updated', 'cust-1', { topicsOptedOut: ['offers'] });
    expect(haltMarkFor(other, CATALOG)).toMatchObject({ journeys: [], topics: ['offers'] });
    expect(haltMarkFor(other, undefined)).toMatchObject({ journeys: [], topics: ['offers'] });
  });

  it('other preferences halt nothing', () => {
    const pause = eventOf('contact.preferences_updated', 'cust-1', { doNotContactUntil: '2027-01-01' });
    expect(haltMarkFor(pause, CATALOG)).toBeUndefined();
    expect(
      haltMarkFor(eventOf('contact.preferences_updated', 'cust-1', { topicsOptedOut: [] }), CATALOG),
    ).toBe(undefined);
  });
});

describe('haltingTypes', () => {
  it('always reads replies, purchases, opt-outs and bounces', () => {
    expect([...haltingTypes(undefined)].sort()).toEqual([
      'contact.opted_out',
      'email.bounced',
      'email.replied',
      'purchase.completed',
    ]);
  });

  it('adds every haltOn type of the catalog, status changes when a journey excludes customers, preferences when one has a topic', () => {
    expect([...haltingTypes(CATALOG)].sort()).toEqual([
      'contact.opted_out',
      'contact.preferences_updated',
      'customer.status_changed',
      'email.bounced',
      'email.clicked',
      'email.replied',
      'purchase.completed',
    ]);
  });
});
