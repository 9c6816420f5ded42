import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EXAMPLE_EVENTS,
  PUBLIC_EVENT_TYPES,
  encodeEvent,
  parseEvent,
  type TactfulEvent,
} from '@tactful/events';
import { haltingTypes } from './halting-types';
import { createScreen } from './screen';
import { CATALOG, eventOf } from './test-kit';

const TYPES = haltingTypes(CATALOG);
const screen = createScreen(TYPES);
const bytes = (event: TactfulEvent) => Buffer.from(encodeEvent(event).value);

/** Whether the full parse says the message is a halting event: what the screen must never miss. */
function isHalting(value: Buffer, key: string): boolean {
  const parsed = parseEvent(value, key);
  if (!parsed.ok || !TYPES.has(parsed.event.type)) return false;
  return parsed.event.type !== 'email.bounced' || parsed.event.data.hard;
}

/** `"type":"…"` with every character of the type spelled as a \u escape: still the same JSON. */
function escapeType(json: string, type: string): string {
  const escaped = [...type].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
  return json.replace(`"type":"${type}"`, `"type":"${escaped}"`);
}

describe('createScreen', () => {
  it('lets through the halting types, a soft bounce excepted', () => {
    expect(screen(bytes(eventOf('email.replied', 'c')))).toBe(true);
    expect(screen(bytes(eventOf('purchase.completed', 'c')))).toBe(true);
    expect(screen(bytes(eventOf('contact.opted_out', 'c')))).toBe(true);
    expect(screen(bytes(eventOf('email.clicked', 'c')))).toBe(true);
    expect(screen(bytes(eventOf('customer.status_changed', 'c')))).toBe(true);
    expect(screen(bytes(eventOf('email.bounced', 'c', { hard: true })))).toBe(true);
    expect(screen(bytes(eventOf('email.bounced', 'c', { hard: false })))).toBe(false);
  });

  it('skips every other type', () => {
    for (const type of ['form.submitted', 'page.viewed', 'email.sent', 'email.opened'] as const)
      expect(screen(bytes(eventOf(type, 'c'))), type).toBe(false);
  });

  it('skips a halting type quoted in the data of another event', () => {
    const quoting = eventOf('form.submitted', 'c', {
      formId: 'f',
      email: 'a@example.com',
      fields: { note: '"email.replied"', other: 'caf\u00e9 \\u0041' },
    });
    expect(screen(bytes(quoting))).toBe(false);
  });

  it('finds a halting type spelled with \\u escapes, or after a byte order mark', () => {
    const reply = eventOf('email.replied', 'c');
    expect(screen(Buffer.from(escapeType(JSON.stringify(reply), 'email.replied')))).toBe(true);
    expect(screen(Buffer.from(`\uFEFF${JSON.stringify(reply)}`))).toBe(true);
  });

  it('skips what is not an event at all', () => {
    for (const value of [null, Buffer.alloc(0), Buffer.from('not json "email.replied"'), Buffer.from('[1]')])
      expect(screen(value)).toBe(false);
    expect(screen(Buffer.from('{"type":"email.replied"'))).toBe(false);
    expect(screen(Buffer.from('"email.replied"'))).toBe(false);
    expect(screen(Buffer.from('{"type":"email.bounced","data":null}'))).toBe(false);
  });

  it('never misses a halting event, however it is spelled (property)', () => {
    const spelling = fc.constantFrom('plain', 'escaped-type', 'bom', 'pretty', 'ascii-only');
    const events = fc.record({
      type: fc.constantFrom(...PUBLIC_EVENT_TYPES),
      hard: fc.boolean(),
      subject: fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim().length > 0),
      note: fc.string({ unit: 'grapheme', maxLength: 30 }),
    });
    fc.assert(
      fc.property(events, spelling, ({ type, hard, subject, note }, how) => {
        const example = EXAMPLE_EVENTS[type];
        const data = { ...example.data, ...(type === 'email.bounced' ? { hard } : {}), note };
        const event = { ...example, subject, data };
        let text = JSON.stringify(event);
        if (how === 'escaped-type') text = escapeType(text, type);
        if (how === 'bom') text = `\uFEFF${text}`;
        if (how === 'pretty') text = JSON.stringify(event, null, 2);
        // what ensure_ascii JSON writers (Python's default) produce: every non-ASCII character escaped
        if (how === 'ascii-only')
          text = text.replace(
            /[\u0080-\uffff]/g,
            (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
          );
        const value = Buffer.from(text);
        if (isHalting(value, subject)) expect(screen(value)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws, whatever the bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (raw) => {
        screen(Buffer.from(raw));
      }),
    );
  });
});
