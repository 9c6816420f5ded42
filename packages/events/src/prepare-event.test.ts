import { describe, expect, it } from 'vitest';
import { EXAMPLE_EVENTS } from './examples';
import { parseEvent } from './parse-event';
import { prepareBatch, prepareEvent, rejectionAt } from './prepare-event';

const form = EXAMPLE_EVENTS['form.submitted'];

describe('prepareEvent', () => {
  it('gives the validated event and the Kafka message that parseEvent reads back unchanged', () => {
    const result = prepareEvent(form);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.message.key).toBe(form.subject);
    expect(parseEvent(result.message.value, result.message.key)).toEqual({ ok: true, event: form });
  });

  it('refuses timer.fired, which only Tactful writes', () => {
    expect(prepareEvent(EXAMPLE_EVENTS['timer.fired'])).toMatchObject({
      ok: false,
      rejection: { reason: 'internal_type' },
    });
  });

  it('refuses an event its consumers would dead-letter as too large', () => {
    const big = { ...form, data: { ...form.data, note: 'x'.repeat(2000) } };
    expect(prepareEvent(big, { maxBytes: 1000 })).toMatchObject({
      ok: false,
      rejection: { reason: 'too_large' },
    });
    expect(prepareEvent(big).ok).toBe(true);
  });
});

describe('prepareBatch', () => {
  it('keeps the valid events in order and lists each invalid one by index, id and reason', () => {
    const badEmail = { ...form, id: 'evt-bad', data: { ...form.data, email: 'not-an-email' } };
    const { prepared, rejected } = prepareBatch([
      form,
      badEmail,
      'not an object',
      EXAMPLE_EVENTS['page.viewed'],
    ]);
    expect(prepared.map((p) => [p.index, p.event.id])).toEqual([
      [0, 'evt-7f3a'],
      [3, 'evt-81c0'],
    ]);
    expect(rejected).toEqual([
      {
        index: 1,
        id: 'evt-bad',
        reason: 'schema_violation',
        message: expect.any(String),
        path: 'data.email',
      },
      { index: 2, reason: 'schema_violation', message: 'an event must be a JSON object' },
    ]);
  });
});

describe('rejectionAt', () => {
  const rejection = { reason: 'schema_violation' as const, message: 'm' };
  it('echoes an id only when it is a string of a plausible length', () => {
    expect(rejectionAt(0, { id: 'evt-1' }, rejection)).toEqual({ index: 0, id: 'evt-1', ...rejection });
    expect(rejectionAt(0, { id: 42 }, rejection)).toEqual({ index: 0, ...rejection });
    expect(rejectionAt(0, { id: 'x'.repeat(257) }, rejection)).toEqual({ index: 0, ...rejection });
    expect(rejectionAt(0, [{ id: 'evt-1' }], rejection)).toEqual({ index: 0, ...rejection });
  });
});
