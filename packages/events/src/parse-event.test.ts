import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from './event-types';
import { EXAMPLE_EVENTS } from './examples';
import type { ParseOptions } from './parse-event';
import { DEFAULT_MAX_EVENT_BYTES, DEFAULT_MAX_JSON_DEPTH } from './decode-json';
import { parseEvent, validateEvent } from './parse-event';
import type { RejectionReason } from './rejection';
import { REJECTION_REASONS } from './rejection';

const form = EXAMPLE_EVENTS['form.submitted'];
const formJson = JSON.stringify(form);
const key = form.subject;

/** The form event with `data.deep` holding `levels` arrays nested in one another: `levels + 2` deep in all. */
function withDeepData(levels: number): string {
  return formJson.replace('"data":{', `"data":{"deep":${'['.repeat(levels)}${']'.repeat(levels)},`);
}

interface RejectionCase {
  name: string;
  bytes: Buffer | Uint8Array | string | null;
  key: Buffer | Uint8Array | string | null;
  options?: ParseOptions;
  reason: RejectionReason;
  path?: string;
}

const rejections: RejectionCase[] = [
  { name: 'a null value (tombstone)', bytes: null, key, reason: 'invalid_json' },
  { name: 'bytes that are not UTF-8', bytes: Buffer.from([0x7b, 0xff, 0x7d]), key, reason: 'invalid_json' },
  { name: 'truncated JSON', bytes: formJson.slice(0, -1), key, reason: 'invalid_json' },
  { name: 'an empty value', bytes: '', key, reason: 'invalid_json' },
  { name: 'JSON that is not an object', bytes: '[1,2]', key, reason: 'schema_violation' },
  { name: 'JSON null', bytes: 'null', key, reason: 'schema_violation' },
  {
    name: 'no type',
    bytes: JSON.stringify({ ...form, type: undefined }),
    key,
    reason: 'schema_violation',
    path: 'type',
  },
  {
    name: 'a type that is not a string',
    bytes: JSON.stringify({ ...form, type: 7 }),
    key,
    reason: 'schema_violation',
    path: 'type',
  },
  {
    name: 'an unknown type',
    bytes: JSON.stringify({ ...form, type: 'form.exploded' }),
    key,
    reason: 'unknown_type',
    path: 'type',
  },
  {
    name: 'timer.fired from outside',
    bytes: JSON.stringify(EXAMPLE_EVENTS['timer.fired']),
    key,
    reason: 'internal_type',
    path: 'type',
  },
  {
    name: 'a bad email',
    bytes: JSON.stringify({ ...form, data: { ...form.data, email: 'ann-at-example.com' } }),
    key,
    reason: 'schema_violation',
    path: 'data.email',
  },
  {
    name: 'a missing id',
    bytes: JSON.stringify({ ...form, id: undefined }),
    key,
    reason: 'schema_violation',
    path: 'id',
  },
  {
    name: 'a member named __proto__',
    bytes: formJson.replace('"data":{', '"data":{"__proto__":{"x":1},'),
    key,
    reason: 'schema_violation',
    path: 'data.__proto__',
  },
  {
    name: 'a key that is not the subject',
    bytes: formJson,
    key: 'cust-43',
    reason: 'key_mismatch',
    path: 'subject',
  },
  {
    name: 'a byte key that is not the subject',
    bytes: formJson,
    key: Buffer.from('cust-42 '),
    reason: 'key_mismatch',
    path: 'subject',
  },
  { name: 'no key', bytes: formJson, key: null, reason: 'missing_key' },
  { name: 'an empty key', bytes: formJson, key: '', reason: 'missing_key' },
  { name: 'an empty byte key', bytes: formJson, key: Buffer.alloc(0), reason: 'missing_key' },
  {
    name: 'a value over the default limit',
    bytes: JSON.stringify({ ...form, padding: 'x'.repeat(DEFAULT_MAX_EVENT_BYTES) }),
    key,
    reason: 'too_large',
  },
  {
    name: 'a value over a given limit',
    bytes: formJson,
    key,
    options: { maxBytes: Buffer.byteLength(formJson) - 1 },
    reason: 'too_large',
  },
  {
    name: 'an extra member nested 100,000 deep (deeper than the call stack)',
    bytes: withDeepData(100_000),
    key,
    reason: 'too_deep',
  },
  {
    name: 'an extra member nested one level past the limit',
    bytes: withDeepData(DEFAULT_MAX_JSON_DEPTH - 1),
    key,
    reason: 'too_deep',
  },
  {
    name: 'a value deeper than a given limit',
    bytes: formJson,
    key,
    options: { maxDepth: 1 },
    reason: 'too_deep',
  },
  {
    name: 'a string over the limit in UTF-8 bytes though not in characters',
    bytes: JSON.stringify({ ...form, note: 'é'.repeat(60) }),
    key,
    options: { maxBytes: formJson.length + 100 },
    reason: 'too_large',
  },
];

describe('parseEvent rejects', () => {
  it.each(rejections)('$name as $reason', ({ bytes, key: k, options, reason, path }) => {
    const result = parseEvent(bytes, k, options);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.rejection.reason).toBe(reason);
    expect(result.rejection.message).not.toBe('');
    expect(result.rejection.path).toBe(path);
  });

  it('has a case for every rejection reason', () => {
    const covered = new Set(rejections.map((c) => c.reason));
    expect([...covered].sort()).toEqual([...REJECTION_REASONS].sort());
  });

  it('names every failing path in the message, the first one in path', () => {
    const broken = { ...form, time: 'yesterday', data: { formId: '', email: 'nope' } };
    const result = parseEvent(JSON.stringify(broken), key);
    expect(result).toMatchObject({ ok: false, rejection: { reason: 'schema_violation', path: 'time' } });
    if (result.ok) return;
    expect(result.rejection.message).toContain('data.formId');
    expect(result.rejection.message).toContain('data.email');
  });

  it('does not quote personal data from the message', () => {
    const secret = 'ann secret@example.com';
    const cases = [
      `{"data":{"email":"${secret}"`,
      JSON.stringify({ ...form, data: { ...form.data, email: secret } }),
      JSON.stringify({ ...form, subject: secret }),
    ];
    for (const bytes of cases) {
      const result = parseEvent(bytes, key);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.rejection.message).not.toContain(secret);
    }
  });
});

describe('parseEvent accepts', () => {
  it.each(EVENT_TYPES)('the example %s from bytes, a string and a Uint8Array', (type) => {
    const event = EXAMPLE_EVENTS[type];
    const value = JSON.stringify(event);
    const options = { allowInternal: true };
    for (const bytes of [value, Buffer.from(value), new TextEncoder().encode(value)]) {
      expect(parseEvent(bytes, event.subject, options)).toEqual({ ok: true, event });
      expect(parseEvent(bytes, Buffer.from(event.subject), options)).toEqual({ ok: true, event });
    }
  });

  it('timer.fired when the reader allows internal types', () => {
    const timer = EXAMPLE_EVENTS['timer.fired'];
    expect(parseEvent(JSON.stringify(timer), key, { allowInternal: true })).toEqual({
      ok: true,
      event: timer,
    });
  });

  it('a value of exactly the limit', () => {
    const maxBytes = Buffer.byteLength(formJson);
    expect(parseEvent(formJson, key, { maxBytes }).ok).toBe(true);
  });

  it('a value after a UTF-8 byte order mark', () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(formJson)]);
    expect(parseEvent(bom, key)).toEqual({ ok: true, event: form });
    expect(parseEvent(`\uFEFF${formJson}`, key)).toEqual({ ok: true, event: form });
  });

  it('a non-ASCII customer id as key bytes', () => {
    const event = { ...form, subject: 'kunde-ä-🚗' };
    expect(parseEvent(JSON.stringify(event), Buffer.from('kunde-ä-🚗', 'utf8'))).toEqual({ ok: true, event });
  });

  it('unknown members, kept as they were sent', () => {
    const event = { ...form, traceparent: '00-abc-def-01', data: { ...form.data, utm: { campaign: 'x' } } };
    expect(parseEvent(JSON.stringify(event), key)).toEqual({ ok: true, event });
  });

  it('a value nested exactly as deep as the limit, and it serialises again', () => {
    const result = parseEvent(withDeepData(DEFAULT_MAX_JSON_DEPTH - 2), key);
    expect(result.ok).toBe(true);
    if (result.ok) expect(JSON.parse(JSON.stringify(result.event))).toEqual(result.event);
  });
});

describe('the depth limit', () => {
  it('names the limit in the message', () => {
    const result = parseEvent(withDeepData(5000), key);
    expect(result).toMatchObject({ ok: false, rejection: { reason: 'too_deep' } });
    if (!result.ok) expect(result.rejection.message).toContain(String(DEFAULT_MAX_JSON_DEPTH));
  });

  it('applies to values built in memory: a cycle is too_deep, a graph of shared references too_large', () => {
    const cyclic: Record<string, unknown> = { ...form, data: { ...form.data } };
    (cyclic['data'] as Record<string, unknown>)['self'] = cyclic;
    expect(validateEvent(cyclic)).toMatchObject({ ok: false, rejection: { reason: 'too_deep' } });
    // 2^40 values as JSON, in 40 objects: walking it must stop at the byte limit
    let shared: unknown = 0;
    for (let i = 0; i < 40; i++) shared = { a: shared, b: shared };
    const wide = { ...form, data: { ...form.data, shared } };
    expect(validateEvent(wide)).toMatchObject({ ok: false, rejection: { reason: 'too_large' } });
  });

  it('refuses what JSON cannot carry instead of failing to serialise it later', () => {
    const event = { ...form, data: { ...form.data, count: 10n } };
    expect(validateEvent(event)).toMatchObject({
      ok: false,
      rejection: { reason: 'schema_violation', path: 'data.count' },
    });
  });
});

describe('validateEvent', () => {
  it('accepts an already-parsed event', () => {
    expect(validateEvent(form)).toEqual({ ok: true, event: form });
  });

  it.each([
    ['a string', 'form.submitted', 'schema_violation'],
    ['an array', [form], 'schema_violation'],
    ['undefined', undefined, 'schema_violation'],
    ['an unknown type', { ...form, type: 'x.y' }, 'unknown_type'],
    ['an internal type', EXAMPLE_EVENTS['timer.fired'], 'internal_type'],
  ] as const)('rejects %s', (_name, value, reason) => {
    expect(validateEvent(value)).toMatchObject({ ok: false, rejection: { reason } });
  });
});
