import { describe, expect, it } from 'vitest';
import { CloudEventEnvelope } from './envelope';
import type { EventType } from './event-types';
import { EVENT_TYPES } from './event-types';
import { EXAMPLE_EVENTS } from './examples';
import { validateEvent } from './parse-event';
import { EVENT_SCHEMAS, TactfulEvent } from './tactful-event';

type Json = Record<string, unknown>;

function withData(type: EventType, change: (data: Json) => Json): Json {
  const event = EXAMPLE_EVENTS[type];
  return { ...event, data: change({ ...event.data }) };
}

function without(data: Json, member: string): Json {
  const { [member]: _dropped, ...rest } = data;
  return rest;
}

// One broken `data` per type, and the path the rejection must name.
const brokenData: { [T in EventType]: { change: (data: Json) => Json; path: string } } = {
  'form.submitted': { change: (d) => ({ ...d, email: 'ann-at-example.com' }), path: 'data.email' },
  'page.viewed': { change: (d) => ({ ...d, url: 'ftp://example.com/file' }), path: 'data.url' },
  'email.sent': { change: (d) => without(d, 'messageId'), path: 'data.messageId' },
  'email.opened': { change: (d) => ({ ...d, commandId: 42 }), path: 'data.commandId' },
  'email.clicked': { change: (d) => ({ ...d, url: 'not a url' }), path: 'data.url' },
  'email.replied': { change: (d) => ({ ...d, text: ['No'] }), path: 'data.text' },
  'email.bounced': { change: (d) => ({ ...d, hard: 'yes' }), path: 'data.hard' },
  'purchase.completed': {
    change: (d) => ({ ...d, items: [{ name: 'adapter' }] }),
    path: 'data.items[0].sku',
  },
  'contact.opted_out': { change: (d) => ({ ...d, channel: 'sms' }), path: 'data.channel' },
  'contact.opted_in': { change: (d) => ({ ...d, channel: 'carrier-pigeon' }), path: 'data.channel' },
  'contact.preferences_updated': {
    change: (d) => ({ ...d, timezone: 'Mars/Olympus' }),
    path: 'data.timezone',
  },
  'customer.status_changed': { change: (d) => ({ ...d, status: 'vip' }), path: 'data.status' },
  'timer.fired': { change: (d) => ({ ...d, journeyVersion: 0 }), path: 'data.journeyVersion' },
};

describe('each event type', () => {
  it.each(EVENT_TYPES)('%s accepts its example', (type) => {
    const event = EXAMPLE_EVENTS[type];
    expect(validateEvent(event, { allowInternal: true })).toEqual({ ok: true, event });
    expect(TactfulEvent.safeParse(event).success).toBe(true);
  });

  it.each(EVENT_TYPES)('%s rejects broken data, naming the path', (type) => {
    const { change, path } = brokenData[type];
    expect(validateEvent(withData(type, change), { allowInternal: true })).toMatchObject({
      ok: false,
      rejection: { reason: 'schema_violation', path },
    });
  });

  it.each(EVENT_TYPES)('%s rejects data that is not an object', (type) => {
    for (const data of [null, 'x', [], undefined]) {
      const event = { ...EXAMPLE_EVENTS[type], data };
      expect(validateEvent(event, { allowInternal: true })).toMatchObject({
        ok: false,
        rejection: { reason: 'schema_violation', path: 'data' },
      });
    }
  });

  it('has one schema per type, in the map and in the union', () => {
    expect(Object.keys(EVENT_SCHEMAS).sort()).toEqual([...EVENT_TYPES].sort());
    expect(TactfulEvent.options).toHaveLength(EVENT_TYPES.length);
  });
});

describe('data', () => {
  it.each([
    ['form.submitted', { formId: 'f', email: 'ann@example.com' }],
    ['purchase.completed', { orderId: 'o-1', items: [] }],
    ['contact.opted_out', {}],
    ['contact.preferences_updated', { doNotContactUntil: '2027-01-01T09:00:00+01:00' }],
    ['contact.preferences_updated', { timezone: 'UTC' }],
    ['email.bounced', { hard: false }],
  ] as const)('%s accepts %j', (type, data) => {
    expect(validateEvent({ ...EXAMPLE_EVENTS[type], data }).ok).toBe(true);
  });

  it.each([
    ['form.submitted', { formId: 'f', email: 'ann@example.com', fields: { n: 1 } }, 'data.fields.n'],
    ['purchase.completed', { orderId: 'o-1', items: [], amount: -1 }, 'data.amount'],
    ['contact.preferences_updated', { doNotContactUntil: '2027-02-30' }, 'data.doNotContactUntil'],
    ['contact.preferences_updated', { timezone: '+02:00' }, 'data.timezone'],
    ['contact.preferences_updated', { topicsOptedOut: 'trade-in' }, 'data.topicsOptedOut'],
  ] as const)('%s rejects %j', (type, data, path) => {
    expect(validateEvent({ ...EXAMPLE_EVENTS[type], data })).toMatchObject({
      ok: false,
      rejection: { path },
    });
  });

  it('keeps members the type does not declare, at every level', () => {
    const event = withData('purchase.completed', (d) => ({
      ...d,
      currency: 'EUR',
      items: [{ sku: 'a', qty: 2 }],
    }));
    expect(validateEvent(event)).toEqual({ ok: true, event });
  });

  it('does not fill in defaults, so a parsed event is what was sent', () => {
    const event = EXAMPLE_EVENTS['contact.opted_in'];
    const result = validateEvent(event);
    expect(result.ok && result.event.data).toEqual({});
  });
});

describe('the envelope', () => {
  const form = EXAMPLE_EVENTS['form.submitted'];

  it.each([
    ['specversion', '0.3'],
    ['id', ''],
    ['id', 'evt\n1'],
    ['source', 'crm web forms'],
    ['source', ''],
    ['subject', ''],
    ['subject', 'x'.repeat(257)],
    ['time', '2026-11-23 10:00:00Z'],
    ['time', '2026-11-23T10:00:00'],
    ['time', '2026-11-23T10:00Z'],
    ['time', 1764000000],
    ['datacontenttype', 'text/plain'],
    ['datacontenttype', null],
    ['dataschema', 'schemas/form.json'],
    ['Traceparent', 'x'],
    ['trace_parent', 'x'],
    ['data_base64', 'e30='],
    ['traceparent', { a: 1 }],
    ['sampled', 1.5],
    ['sampled', null],
  ])('rejects %s = %j', (member, value) => {
    const result = validateEvent({ ...form, [member]: value });
    expect(result).toMatchObject({ ok: false, rejection: { reason: 'schema_violation', path: member } });
  });

  it.each([
    ['time', '2026-11-23T10:00:00.123456+05:30'],
    ['datacontenttype', 'application/json; charset=utf-8'],
    ['datacontenttype', 'application/cloudevents+json'],
    ['dataschema', 'https://schemas.example.com/form.json'],
    ['source', 'urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66'],
    ['source', 'https://crm.example.com/forms?id=1#x'],
    ['traceparent', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    ['sequence', 42],
    ['sampled', true],
  ])('accepts %s = %j', (member, value) => {
    expect(validateEvent({ ...form, [member]: value }).ok).toBe(true);
  });

  it.each(['specversion', 'id', 'source', 'subject', 'time', 'data'])('requires %s', (member) => {
    expect(validateEvent(without({ ...form }, member))).toMatchObject({
      ok: false,
      rejection: { reason: 'schema_violation', path: member },
    });
  });

  it('CloudEventEnvelope accepts any type and any data', () => {
    const event = { ...form, type: 'com.example.other', data: [1, 2] };
    expect(CloudEventEnvelope.safeParse(event)).toMatchObject({ success: true, data: event });
  });
});
