// Test support for this package's property tests (fast-check arbitraries of valid events). Not
// exported from index.ts: the package's consumers get EXAMPLE_EVENTS, and @tactful/testing builds its
// own event builders on top of the public schemas.
import fc from 'fast-check';
import { CUSTOMER_STATUSES } from './data/customer-status-changed';
import { CONTACT_CHANNELS } from './data/contact';
import { ENVELOPE_ATTRIBUTES, SPEC_VERSION } from './envelope';
import type { EventType } from './event-types';
import { EVENT_TYPES } from './event-types';
import { CustomerId, URI_REFERENCE_PATTERN } from './fields';
import { FormSubmittedData } from './data/form-submitted';
import { PageViewedData } from './data/page-viewed';

type Json = Record<string, unknown>;

/** Any JSON value that survives JSON.stringify → JSON.parse unchanged. */
const json = fc
  .jsonValue({ maxDepth: 2 })
  .map((value) => JSON.parse(JSON.stringify(value)) as unknown)
  .filter((value) => !JSON.stringify(value).includes('"__proto__"'));

const text = fc.string({ unit: 'grapheme', maxLength: 20 });
const name = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 });

export const identifierArb = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
  .filter((value) => CustomerId.safeParse(value).success);

const URI_CHARS = [..."abcxyzABZ019-._~!$&'()*+,;=:@/?#"].concat(['%2F', '%e9']);

export const uriReferenceArb = fc
  .oneof(
    fc.webUrl({ withQueryParameters: true, withFragments: true }),
    fc.string({ unit: fc.constantFrom(...URI_CHARS), minLength: 1, maxLength: 40 }),
  )
  .filter((value) => value.length <= 2048 && URI_REFERENCE_PATTERN.test(value));

/** RFC 3339 date-times in the spellings producers use: Z or an offset, with or without fractions. */
export const timestampArb = fc
  .tuple(
    fc.date({
      min: new Date('1970-01-01T00:00:00Z'),
      max: new Date('2999-12-31T23:59:59Z'),
      noInvalidDate: true,
    }),
    fc.constantFrom('', '.5', '.123', '.123456789'),
    fc.constantFrom('Z', '+00:00', '+05:30', '-08:00', '+14:00'),
  )
  .map(([date, fraction, offset]) => `${date.toISOString().slice(0, 19)}${fraction}${offset}`);

const emailArb = fc.emailAddress().filter((email) => FormSubmittedData.shape.email.safeParse(email).success);
const pageUrlArb = fc.webUrl().filter((url) => PageViewedData.shape.url.safeParse(url).success);
const commandIdArb = fc.stringMatching(/^cmd-[0-9a-f]{32}$/);
const channelArb = fc.constantFrom(...CONTACT_CHANNELS);
const timeZoneArb = fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Etc/GMT+5');

function optional<T extends Record<string, fc.Arbitrary<unknown>>>(
  required: readonly (keyof T & string)[],
  fields: T,
): fc.Arbitrary<Json> {
  return fc.record(fields, { requiredKeys: [...required] }) as fc.Arbitrary<Json>;
}

/** Valid `data` of each type, required members always, optional ones sometimes. */
export const dataArbitraries: { readonly [T in EventType]: fc.Arbitrary<Json> } = {
  'form.submitted': optional(['formId', 'email'], {
    formId: name,
    email: emailArb,
    name: text,
    fields: fc.dictionary(
      name.filter((key) => key !== '__proto__'),
      text,
      { maxKeys: 4 },
    ),
  }),
  'page.viewed': optional(['url'], { url: pageUrlArb, sku: name }),
  'email.sent': optional(['commandId', 'template', 'messageId'], {
    commandId: commandIdArb,
    template: name,
    messageId: name,
  }),
  'email.opened': optional([], { commandId: commandIdArb, template: name }),
  'email.clicked': optional([], { commandId: commandIdArb, template: name, url: pageUrlArb }),
  'email.replied': optional([], { commandId: commandIdArb, text }),
  'email.bounced': optional(['hard'], { commandId: commandIdArb, hard: fc.boolean() }),
  'purchase.completed': optional(['orderId', 'items'], {
    orderId: name,
    items: fc.array(optional(['sku'], { sku: name, name: text }), { maxLength: 3 }),
    amount: fc.double({ min: 0, max: 1e9, noNaN: true }).map((amount) => amount + 0),
  }),
  'contact.opted_out': optional([], { channel: channelArb }),
  'contact.opted_in': optional([], { channel: channelArb }),
  'contact.preferences_updated': optional([], {
    doNotContactUntil: fc.oneof(
      timestampArb,
      timestampArb.map((time) => time.slice(0, 10)),
    ),
    timezone: timeZoneArb,
    topicsOptedOut: fc.array(name, { maxLength: 3 }),
    note: text,
  }),
  'customer.status_changed': optional(['status'], { status: fc.constantFrom(...CUSTOMER_STATUSES) }),
  'timer.fired': optional(['journey', 'journeyVersion', 'timerId', 'stage', 'delay', 'dueAt'], {
    journey: name,
    journeyVersion: fc.integer({ min: 1, max: 1000 }),
    timerId: identifierArb,
    stage: name,
    delay: fc.constantFrom('P3D', 'PT30S', '5000'),
    dueAt: timestampArb,
  }),
};

/** Members a producer may add to `data`: anything, under names the type does not declare. */
function withExtraMembers(data: fc.Arbitrary<Json>): fc.Arbitrary<Json> {
  const extra = fc.dictionary(
    fc.string({ minLength: 1, maxLength: 8 }).map((key) => `x-${key}`),
    json,
    { maxKeys: 2 },
  );
  return fc.tuple(data, extra).map(([known, more]) => ({ ...more, ...known }));
}

const DECLARED = new Set<string>(ENVELOPE_ATTRIBUTES);
const extensionsArb = fc.dictionary(
  fc.stringMatching(/^[a-z0-9]{1,12}$/).filter((key) => !DECLARED.has(key)),
  fc.oneof(fc.string(), fc.integer(), fc.boolean()),
  { maxKeys: 2 },
);

/** A valid event of `type`, with every optional envelope member and extension sometimes present. */
export function eventArbitrary(type: EventType): fc.Arbitrary<Json> {
  const envelope = fc.record(
    {
      specversion: fc.constant(SPEC_VERSION),
      id: identifierArb,
      source: uriReferenceArb,
      type: fc.constant(type),
      subject: identifierArb,
      time: timestampArb,
      datacontenttype: fc.constantFrom(
        'application/json',
        'application/json; charset=utf-8',
        'application/cloudevents+json',
      ),
      dataschema: fc.constantFrom('https://schemas.example.com/form.json', 'urn:example:schema'),
      data: withExtraMembers(dataArbitraries[type]),
    },
    { requiredKeys: ['specversion', 'id', 'source', 'type', 'subject', 'time', 'data'] },
  );
  return fc.tuple(envelope, extensionsArb).map(([event, extensions]) => ({ ...extensions, ...event }));
}

/** A valid event of any type, internal ones included. */
export const anyEventArb: fc.Arbitrary<Json> = fc.oneof(...EVENT_TYPES.map((type) => eventArbitrary(type)));
