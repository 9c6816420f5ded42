import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostileJsonTextArb, nestedJsonArb } from '@tactful/testing';
import { encodeEvent } from './cloud-event';
import { DEFAULT_MAX_JSON_DEPTH } from './decode-json';
import { anyEventArb, eventArbitrary } from './event-arbitraries';
import { EVENT_TYPES, PUBLIC_EVENT_TYPES } from './event-types';
import { parseEvent, validateEvent } from './parse-event';
import type { ParseResult } from './rejection';
import { REJECTION_REASONS } from './rejection';
import type { TactfulEvent } from './tactful-event';
import { jsonSchemaFiles } from './json-schemas';

type Json = Record<string, unknown>;

const asEvent = (event: Json) => event as TactfulEvent;
const serialize = (event: Json) => encodeEvent(asEvent(event));

function expectWellFormedRejection(result: ParseResult): void {
  if (result.ok) return;
  expect(REJECTION_REASONS).toContain(result.rejection.reason);
  expect(result.rejection.message.length).toBeGreaterThan(0);
  if (result.rejection.path !== undefined) expect(result.rejection.path.length).toBeGreaterThan(0);
}

// The members each type requires, as the generated JSON Schema states them (so the two agree).
const requiredData = new Map(
  EVENT_TYPES.map((type) => {
    const file = jsonSchemaFiles().find((f) => f.path === `events/${type}.json`);
    const schema = JSON.parse(file?.content ?? '{}') as { properties: { data: { required?: string[] } } };
    return [type, schema.properties.data.required ?? []] as const;
  }),
);
const REQUIRED_ENVELOPE = ['specversion', 'id', 'source', 'type', 'subject', 'time', 'data'];

describe('parseEvent, for every input', () => {
  const bytesArb = fc.oneof(
    fc.constant(null),
    fc.uint8Array({ maxLength: 200 }),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.json(),
    anyEventArb.map((event) => JSON.stringify(event)),
    anyEventArb.map((event) => Buffer.from(JSON.stringify(event))),
  );
  const keyArb = fc.oneof(
    fc.constant(null),
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.uint8Array({ maxLength: 20 }).map((bytes) => Buffer.from(bytes)),
  );
  const optionsArb = fc.record(
    { maxBytes: fc.integer({ min: 0, max: 2000 }), allowInternal: fc.boolean() },
    { requiredKeys: [] },
  );

  it('never throws, and every rejection has a reason and a message', () => {
    fc.assert(
      fc.property(bytesArb, keyArb, optionsArb, (bytes, key, options) => {
        expectWellFormedRejection(parseEvent(bytes, key, options));
      }),
      { numRuns: 2000 },
    );
  });

  it('validateEvent never throws on any value', () => {
    fc.assert(
      fc.property(
        fc.anything({ withNullPrototype: true, withObjectString: true }),
        fc.boolean(),
        (value, internal) => {
          expectWellFormedRejection(validateEvent(value, { allowInternal: internal }));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('never throws on a valid event with one character changed', () => {
    fc.assert(
      fc.property(
        anyEventArb,
        fc.nat(),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
        (event, at, c) => {
          const { key, value } = serialize(event);
          const i = at % value.length;
          expectWellFormedRejection(parseEvent(value.slice(0, i) + c + value.slice(i + 1), key));
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('parseEvent, on deep and wide JSON', () => {
  it('never throws; what it accepts serialises again; what it refuses has a reason', () => {
    fc.assert(
      fc.property(hostileJsonTextArb({ maxLevels: 20_000, maxWidth: 5000 }), fc.boolean(), (text, bytes) => {
        const result = parseEvent(bytes ? Buffer.from(text) : text, 'cust-1', { allowInternal: true });
        expectWellFormedRejection(result);
        if (result.ok) expect(JSON.parse(JSON.stringify(result.event))).toEqual(result.event);
      }),
      { numRuns: 300 },
    );
  });

  it('a valid event carrying a nested value is accepted exactly when it is within the depth limit', () => {
    // the nested value sits in `data` (depth 2), so `levels` more makes the event 2 + levels deep
    fc.assert(
      fc.property(anyEventArb, nestedJsonArb(10_000), (event, nested) => {
        const { key } = serialize(event);
        const placeholder = 'nested-value-placeholder-7f3a';
        const text = JSON.stringify({ ...event, data: { ...(event['data'] as Json), nested: placeholder } });
        const result = parseEvent(
          text.replace(JSON.stringify(placeholder), () => nested.text),
          key,
          {
            allowInternal: true,
          },
        );
        if (2 + nested.levels <= DEFAULT_MAX_JSON_DEPTH) {
          expect(result.ok).toBe(true);
          if (result.ok) JSON.stringify(result.event);
        } else {
          expect(result).toMatchObject({ ok: false, rejection: { reason: 'too_deep' } });
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('valid events', () => {
  it('round-trip: serialized, parsed back, deep equal', () => {
    fc.assert(
      fc.property(anyEventArb, (event) => {
        const { key, value } = serialize(event);
        expect(parseEvent(value, key, { allowInternal: true })).toEqual({ ok: true, event });
        expect(parseEvent(Buffer.from(value), Buffer.from(key), { allowInternal: true })).toEqual({
          ok: true,
          event,
        });
      }),
      { numRuns: 1000 },
    );
  });
});

describe('mutated valid events are rejected for the right reason', () => {
  const publicEventArb = fc.oneof(...PUBLIC_EVENT_TYPES.map((type) => eventArbitrary(type)));

  it('a required envelope member dropped: schema_violation at that member', () => {
    fc.assert(
      fc.property(anyEventArb, fc.constantFrom(...REQUIRED_ENVELOPE), (event, member) => {
        const { key } = serialize(event);
        const { [member]: _dropped, ...broken } = event;
        const result = parseEvent(JSON.stringify(broken), key, { allowInternal: true });
        expect(result).toMatchObject({ ok: false, rejection: { reason: 'schema_violation', path: member } });
      }),
    );
  });

  it('a required data member dropped: schema_violation at data.<member>', () => {
    const withRequired = EVENT_TYPES.filter((type) => (requiredData.get(type) ?? []).length > 0);
    const arb = fc
      .constantFrom(...withRequired)
      .chain((type) => fc.tuple(eventArbitrary(type), fc.constantFrom(...(requiredData.get(type) ?? []))));
    fc.assert(
      fc.property(arb, ([event, member]) => {
        const { [member]: _dropped, ...data } = event['data'] as Json;
        const result = parseEvent(JSON.stringify({ ...event, data }), serialize(event).key, {
          allowInternal: true,
        });
        expect(result).toMatchObject({
          ok: false,
          rejection: { reason: 'schema_violation', path: `data.${member}` },
        });
      }),
    );
  });

  it('a required member of the wrong JSON type: schema_violation at that member', () => {
    const wrongType = (value: unknown): unknown =>
      typeof value === 'string'
        ? 42
        : typeof value === 'number'
          ? String(value)
          : typeof value === 'boolean'
            ? 'yes'
            : 'x';
    const arb = fc
      .constantFrom(...EVENT_TYPES)
      .chain((type) =>
        fc.tuple(
          eventArbitrary(type),
          fc.constantFrom(
            ...REQUIRED_ENVELOPE.map((member) => [member]),
            ...(requiredData.get(type) ?? []).map((member) => ['data', member]),
          ),
        ),
      );
    fc.assert(
      fc.property(arb, ([event, path]) => {
        const broken = structuredClone(event);
        const [first, second] = path;
        if (first === undefined) return;
        if (second === undefined) broken[first] = wrongType(broken[first]);
        else (broken[first] as Json)[second] = wrongType((broken[first] as Json)[second]);
        const result = parseEvent(JSON.stringify(broken), serialize(event).key, { allowInternal: true });
        expect(result).toMatchObject({
          ok: false,
          rejection: { reason: 'schema_violation', path: path.join('.') },
        });
      }),
    );
  });

  it('a key other than the subject: key_mismatch', () => {
    fc.assert(
      fc.property(anyEventArb, fc.string({ minLength: 1 }), (event, other) => {
        const { key, value } = serialize(event);
        fc.pre(other !== key);
        expect(parseEvent(value, other, { allowInternal: true })).toMatchObject({
          ok: false,
          rejection: { reason: 'key_mismatch' },
        });
        expect(parseEvent(value, Buffer.from(other), { allowInternal: true })).toMatchObject({
          ok: false,
          rejection: { reason: 'key_mismatch' },
        });
      }),
    );
  });

  it('no key: missing_key', () => {
    fc.assert(
      fc.property(anyEventArb, fc.constantFrom(null, '', Buffer.alloc(0)), (event, key) => {
        expect(parseEvent(serialize(event).value, key)).toMatchObject({
          ok: false,
          rejection: { reason: 'missing_key' },
        });
      }),
    );
  });

  it('over the size limit: too_large', () => {
    fc.assert(
      fc.property(anyEventArb, fc.integer({ min: 1, max: 100 }), (event, under) => {
        const { key, value } = serialize(event);
        const maxBytes = Math.max(0, Buffer.byteLength(value) - under);
        expect(parseEvent(value, key, { maxBytes, allowInternal: true })).toMatchObject({
          ok: false,
          rejection: { reason: 'too_large' },
        });
      }),
    );
  });

  it('cut short: invalid_json', () => {
    fc.assert(
      fc.property(anyEventArb, fc.nat(), (event, at) => {
        const { key, value } = serialize(event);
        const cut = value.slice(0, at % value.length);
        expect(parseEvent(cut, key, { allowInternal: true })).toMatchObject({
          ok: false,
          rejection: { reason: 'invalid_json' },
        });
      }),
    );
  });

  it('a type this version does not know: unknown_type', () => {
    const known = new Set<string>(EVENT_TYPES);
    fc.assert(
      fc.property(anyEventArb, fc.string({ minLength: 1 }), (event, type) => {
        fc.pre(!known.has(type));
        const { key } = serialize(event);
        expect(parseEvent(JSON.stringify({ ...event, type }), key, { allowInternal: true })).toMatchObject({
          ok: false,
          rejection: { reason: 'unknown_type', path: 'type' },
        });
      }),
    );
  });

  it('timer.fired from outside: internal_type; any public type is not affected', () => {
    fc.assert(
      fc.property(eventArbitrary('timer.fired'), publicEventArb, (timer, other) => {
        const timerMessage = serialize(timer);
        expect(parseEvent(timerMessage.value, timerMessage.key)).toMatchObject({
          ok: false,
          rejection: { reason: 'internal_type' },
        });
        const otherMessage = serialize(other);
        expect(parseEvent(otherMessage.value, otherMessage.key).ok).toBe(true);
      }),
    );
  });
});
